package org.layerwise.sdk.figure;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.CombinedRangeCategoryPlot;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.general.Dataset;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYZDataset;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * The numbers behind a chart as CSV, one observation a row:
 * <ul>
 *   <li>XY datasets: {@code series,x,y}</li>
 *   <li>XYZ datasets (heatmaps): {@code x,y,z}, or {@code series,x,y,z} when there are several series</li>
 *   <li>category datasets: {@code row,column,value}</li>
 * </ul>
 * Every dataset of the plot (secondary axes, combined subplots) is written, in dataset order.
 */
public final class DatasetCsv {
    private DatasetCsv() {
    }

    public static void write(JFreeChart chart, Writer out) throws IOException {
        List<Dataset> datasets = new ArrayList<>();
        collect(chart.getPlot(), datasets);
        if (datasets.isEmpty()) {
            String plot = chart.getPlot() == null ? "no plot" : chart.getPlot().getClass().getSimpleName();
            throw new IOException("This chart (" + plot + ") has no XY, XYZ or category data to save as CSV.");
        }
        if (datasets.stream().allMatch(d -> d instanceof XYZDataset)) {
            boolean named = datasets.stream().mapToInt(d -> ((XYZDataset) d).getSeriesCount()).sum() > 1;
            out.write(named ? "series,x,y,z\n" : "x,y,z\n");
            for (Dataset d : datasets) {
                writeXYZ((XYZDataset) d, named, out);
            }
        } else if (datasets.get(0) instanceof XYDataset) {
            out.write("series,x,y\n");
            for (Dataset d : datasets) {
                writeXY((XYDataset) d, out);
            }
        } else {
            out.write("row,column,value\n");
            for (Dataset d : datasets) {
                writeCategory((CategoryDataset) d, out);
            }
        }
        out.flush();
    }

    private static void collect(Plot plot, List<Dataset> into) {
        if (plot instanceof CombinedDomainXYPlot c) {
            c.getSubplots().forEach(p -> collect(p, into));
        } else if (plot instanceof CombinedRangeXYPlot c) {
            c.getSubplots().forEach(p -> collect(p, into));
        } else if (plot instanceof CombinedDomainCategoryPlot c) {
            c.getSubplots().forEach(p -> collect((Plot) p, into));
        } else if (plot instanceof CombinedRangeCategoryPlot c) {
            c.getSubplots().forEach(p -> collect((Plot) p, into));
        } else if (plot instanceof XYPlot xy) {
            xy.getDatasets().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .map(java.util.Map.Entry::getValue).filter(d -> d != null).forEach(into::add);
        } else if (plot instanceof CategoryPlot category) {
            category.getDatasets().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .map(java.util.Map.Entry::getValue).filter(d -> d != null).forEach(into::add);
        }
    }

    private static void writeXY(XYDataset d, Writer out) throws IOException {
        for (int s = 0; s < d.getSeriesCount(); s++) {
            String series = field(String.valueOf(d.getSeriesKey(s)));
            for (int i = 0; i < d.getItemCount(s); i++) {
                out.write(series + ',' + number(d.getXValue(s, i)) + ',' + number(d.getYValue(s, i)) + '\n');
            }
        }
    }

    private static void writeXYZ(XYZDataset d, boolean named, Writer out) throws IOException {
        for (int s = 0; s < d.getSeriesCount(); s++) {
            String prefix = named ? field(String.valueOf(d.getSeriesKey(s))) + ',' : "";
            for (int i = 0; i < d.getItemCount(s); i++) {
                out.write(prefix + number(d.getXValue(s, i)) + ',' + number(d.getYValue(s, i)) + ','
                        + number(d.getZValue(s, i)) + '\n');
            }
        }
    }

    private static void writeCategory(CategoryDataset d, Writer out) throws IOException {
        for (int r = 0; r < d.getRowCount(); r++) {
            String row = field(String.valueOf(d.getRowKey(r)));
            for (int c = 0; c < d.getColumnCount(); c++) {
                Number v = d.getValue(r, c);
                out.write(row + ',' + field(String.valueOf(d.getColumnKey(c))) + ','
                        + (v == null ? "" : number(v.doubleValue())) + '\n');
            }
        }
    }

    /** Integers without a trailing ".0", everything else in Java's shortest round-trip form; NaN as empty. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
    static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
