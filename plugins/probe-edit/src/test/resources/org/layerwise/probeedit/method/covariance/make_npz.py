# Makes memit_stats.npz as MEMIT's layer_stats saves it (np.savez of mom2.mom2 = E[kk^T] and mom2.count),
# with a known key matrix, so the Java reader can be checked against numpy. Run: /usr/bin/python3 make_npz.py
import numpy as np

keys = np.arange(12, dtype=np.float64).reshape(4, 3) / 7.0 - 0.5     # 4 keys of width 3
mom2 = (keys.T @ keys / keys.shape[0]).astype(np.float32)
np.savez("memit_stats.npz", **{"mom2.mom2": mom2, "mom2.count": np.array(4, dtype=np.int64)})
np.savez_compressed("memit_stats_compressed.npz", **{"mom2.mom2": mom2, "mom2.count": np.array(4, dtype=np.int64)})
print(mom2)
