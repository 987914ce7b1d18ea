package org.layerwise.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a LLaMA-7B-shaped checkpoint (Hugging Face names and shapes, BF16, two shards, 12.6 GiB) straight to
 * disk with random weights, streaming, so the benchmark can measure a real 7B load without shipping one.
 */
final class Llama7bCheckpoint {
    static final int D = 4096, FF = 11008, LAYERS = 32, VOCAB = 32000;

    static void write(Path dir, Path unused) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = json.createObjectNode().put("model_type", "llama").put("hidden_size", D)
                .put("intermediate_size", FF).put("num_hidden_layers", LAYERS).put("num_attention_heads", 32)
                .put("num_key_value_heads", 32).put("vocab_size", VOCAB).put("max_position_embeddings", 4096)
                .put("rms_norm_eps", 1e-5).put("rope_theta", 10000.0).put("tie_word_embeddings", false)
                .put("torch_dtype", "bfloat16").put("bos_token_id", 1).put("eos_token_id", 2);
        Files.writeString(dir.resolve("config.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(config));
        // a tiny word-level tokenizer: the benchmark measures loading, not text
        Files.writeString(dir.resolve("tokenizer.json"), "{\"version\":\"1.0\",\"added_tokens\":[],\"normalizer\":null,"
                + "\"pre_tokenizer\":{\"type\":\"WhitespaceSplit\"},\"post_processor\":null,\"decoder\":null,"
                + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"<unk>\":0,\"<s>\":1,\"</s>\":2,\"hello\":3},\"unk_token\":\"<unk>\"}}");

        List<Map<String, long[]>> shards = List.of(new LinkedHashMap<>(), new LinkedHashMap<>());
        shards.get(0).put("model.embed_tokens.weight", new long[] {VOCAB, D});
        for (int l = 0; l < LAYERS; l++) {
            Map<String, long[]> s = shards.get(l < LAYERS / 2 ? 0 : 1);
            String p = "model.layers." + l + ".";
            for (String x : List.of("q", "k", "v", "o")) s.put(p + "self_attn." + x + "_proj.weight", new long[] {D, D});
            s.put(p + "mlp.gate_proj.weight", new long[] {FF, D});
            s.put(p + "mlp.up_proj.weight", new long[] {FF, D});
            s.put(p + "mlp.down_proj.weight", new long[] {D, FF});
            s.put(p + "input_layernorm.weight", new long[] {D});
            s.put(p + "post_attention_layernorm.weight", new long[] {D});
        }
        shards.get(1).put("model.norm.weight", new long[] {D});
        shards.get(1).put("lm_head.weight", new long[] {VOCAB, D});

        ByteBuffer noise = randomBf16(64 << 20);
        ObjectNode weightMap = json.createObjectNode();
        long total = 0;
        for (int i = 0; i < shards.size(); i++) {
            String file = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            ObjectNode header = json.createObjectNode();
            header.putObject("__metadata__").put("format", "pt");
            long offset = 0;
            for (Map.Entry<String, long[]> e : shards.get(i).entrySet()) {
                long bytes = 2L * e.getValue()[0] * (e.getValue().length > 1 ? e.getValue()[1] : 1);
                ObjectNode t = header.putObject(e.getKey()).put("dtype", "BF16");
                for (long d : e.getValue()) t.withArray("shape").add(d);
                t.putArray("data_offsets").add(offset).add(offset + bytes);
                offset += bytes;
                weightMap.put(e.getKey(), file);
            }
            total += offset;
            byte[] h = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
            int padded = (h.length + 7) / 8 * 8;
            ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).put(h);
            while (head.hasRemaining()) head.put((byte) ' ');
            try (FileChannel out = FileChannel.open(dir.resolve(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(head.flip());
                for (long left = offset; left > 0; ) {
                    ByteBuffer chunk = noise.duplicate().limit((int) Math.min(left, noise.capacity()));
                    left -= chunk.remaining();
                    while (chunk.hasRemaining()) out.write(chunk);
                }
            }
        }
        ObjectNode index = json.createObjectNode();
        index.putObject("metadata").put("total_size", total);
        index.set("weight_map", weightMap);
        Files.writeString(dir.resolve("model.safetensors.index.json"), json.writeValueAsString(index));
    }

    /** BF16 bits of N(0, 0.02) values: weights of a trained model's magnitude (inside float16's range). */
    static ByteBuffer randomBf16(int bytes) {
        SplittableRandom random = new SplittableRandom(7);
        ByteBuffer b = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            double g = random.nextDouble() * 2 - 1 + random.nextDouble() * 2 - 1 + random.nextDouble() * 2 - 1;
            b.putShort((short) (Float.floatToRawIntBits((float) (g * 0.02)) >>> 16));
        }
        return b.flip();
    }

    private Llama7bCheckpoint() {
    }
}
