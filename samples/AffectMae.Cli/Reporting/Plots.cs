using AffectMae.Metrics;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Training;
using ScottPlot;

namespace AffectMae.Cli.Reporting;

/// <summary>PNG plots of the demo: training curves, predicted against true valence/arousal of one video, and predicted valence/arousal of a video over time.</summary>
internal static class Plots
{
    /// <summary>One loss curve a stage, against the optimiser step, each in its own panel-sized file.</summary>
    public static string TrainingCurve(string folder, string stage, IReadOnlyList<double> losses)
    {
        var plot = new Plot();
        var line = plot.Add.Scatter(Enumerable.Range(1, losses.Count).Select(i => (double)i).ToArray(), losses.ToArray());
        line.MarkerSize = 0;
        line.LegendText = "loss";
        if (losses.Count >= 10)
        {
            var smooth = plot.Add.Scatter(Enumerable.Range(1, losses.Count).Select(i => (double)i).ToArray(), MovingAverage(losses, Math.Max(5, losses.Count / 20)));
            smooth.MarkerSize = 0;
            smooth.LineWidth = 2;
            smooth.LegendText = "moving average";
        }
        plot.Title($"{stage}: training loss");
        plot.XLabel("optimiser step");
        plot.YLabel("loss");
        plot.ShowLegend();
        return Save(plot, folder, $"curve-{Slug(stage)}.png");
    }

    /// <summary>Valence and arousal of one video: prediction against annotation, frame by frame.</summary>
    public static string ValenceArousal(string folder, VideoPredictions predictions, float[] gold)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(gold);
        var plot = new Plot();
        string[] names = ["valence", "arousal"];
        for (int d = 0; d < 2; d++)
        {
            var frames = Enumerable.Range(0, predictions.FrameCount).Where(f => !AffectLabels.IsUnlabelledValenceArousal(gold[2 * f + d])).ToArray();
            var truth = plot.Add.Scatter(frames.Select(f => (double)f).ToArray(), frames.Select(f => (double)gold[2 * f + d]).ToArray());
            truth.MarkerSize = 0;
            truth.LegendText = $"{names[d]} (annotation)";
            var predicted = plot.Add.Scatter(frames.Select(f => (double)f).ToArray(), frames.Select(f => (double)predictions.ValenceArousal![2 * f + d]).ToArray());
            predicted.MarkerSize = 0;
            predicted.LinePattern = LinePattern.Dashed;
            predicted.LegendText = $"{names[d]} (predicted)";
        }
        plot.Title($"Validation video {predictions.Video}: valence and arousal");
        plot.XLabel("frame");
        plot.Axes.SetLimitsY(-1.1, 1.1);
        plot.ShowLegend();
        return Save(plot, folder, $"va-{Slug(predictions.Video)}.png");
    }

    /// <summary>
    /// Predicted valence and arousal of one video (or photo, or frame folder) over time: one line each, broken where a
    /// frame has no face (its values are NaN), so no line is drawn across frames that were not read.
    /// </summary>
    /// <param name="folder">Where <c>va-&lt;name&gt;.png</c> goes.</param>
    /// <param name="name">The video's name.</param>
    /// <param name="series">One entry a frame: its time (or frame number) and its predicted valence and arousal.</param>
    /// <param name="xLabel">What the first value of an entry is, e.g. "time (s)".</param>
    public static string ValenceArousalOverTime(string folder, string name, IReadOnlyList<(double X, float Valence, float Arousal)> series, string xLabel)
    {
        ArgumentNullException.ThrowIfNull(series);
        var plot = new Plot();
        foreach (var (label, value, colour) in new (string, Func<(double X, float Valence, float Arousal), float>, Color)[]
                 { ("valence", e => e.Valence, Colors.C0), ("arousal", e => e.Arousal, Colors.C1) })
        {
            bool named = false;
            foreach (var run in Runs(series, e => !float.IsNaN(value(e))))
            {
                var line = plot.Add.Scatter(run.Select(e => e.X).ToArray(), run.Select(e => (double)value(e)).ToArray(), colour);
                line.MarkerSize = run.Count == 1 ? 5 : 0;   // a lone frame between gaps is a dot
                if (!named) line.LegendText = label;
                named = true;
            }
        }
        int withoutFace = series.Count(e => float.IsNaN(e.Valence) && float.IsNaN(e.Arousal));
        plot.Title($"{name}: predicted valence and arousal ({series.Count} frames, {withoutFace} without a face)");
        plot.XLabel(xLabel);
        plot.Axes.SetLimitsY(-1.1, 1.1);
        plot.ShowLegend();
        return Save(plot, folder, $"va-{Slug(name)}.png");
    }

    // The maximal runs of consecutive entries that satisfy keep.
    private static IEnumerable<List<T>> Runs<T>(IEnumerable<T> entries, Func<T, bool> keep)
    {
        var run = new List<T>();
        foreach (var entry in entries)
        {
            if (keep(entry))
            {
                run.Add(entry);
                continue;
            }
            if (run.Count > 0) yield return run;
            run = [];
        }
        if (run.Count > 0) yield return run;
    }

    /// <summary>
    /// A temporal model's epochs: the mean training loss (left axis) and the validation P_VA, P_EXPR and P_AU (right
    /// axis) after each epoch.
    /// </summary>
    public static string ValidationCurve(string folder, string stage, IReadOnlyList<EpochRecord> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var plot = new Plot();
        double[] epochs = [.. history.Select(h => h.Epoch + 1.0)];
        var loss = plot.Add.Scatter(epochs, history.Select(h => h.MeanLoss).ToArray());
        loss.LegendText = "training loss (mean of the epoch)";
        loss.LineWidth = 2;
        foreach (string metric in history.SelectMany(h => h.Metrics?.Keys ?? []).Distinct())
        {
            var score = plot.Add.Scatter(epochs, history.Select(h => h.Metrics is { } m && m.TryGetValue(metric, out double v) ? v : double.NaN).ToArray());
            score.LegendText = $"{metric} (validation)";
            score.LinePattern = LinePattern.Dashed;
            score.Axes.YAxis = plot.Axes.Right;
        }
        plot.Title($"{stage}: training loss and validation scores");
        plot.XLabel("epoch");
        plot.Axes.Left.Label.Text = "loss";
        plot.Axes.Right.Label.Text = "score";
        plot.ShowLegend();
        return Save(plot, folder, $"epochs-{Slug(stage)}.png");
    }

    private static string Save(Plot plot, string folder, string name)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        string temporary = path + ".tmp.png";
        plot.SavePng(temporary, 900, 500);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    private static double[] MovingAverage(IReadOnlyList<double> values, int window)
    {
        var averaged = new double[values.Count];
        double sum = 0;
        for (int i = 0; i < values.Count; i++)
        {
            sum += values[i];
            if (i >= window) sum -= values[i - window];
            averaged[i] = sum / Math.Min(i + 1, window);
        }
        return averaged;
    }

    private static string Slug(string text) => new(text.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
}
