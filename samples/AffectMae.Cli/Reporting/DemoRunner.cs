using System.Diagnostics;
using AffectMae.Cli.Synthetic;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Features;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Runtime;
using Spectre.Console;

namespace AffectMae.Cli.Reporting;

/// <summary>
/// The whole method end to end on the library's stages: synthetic data (when the data folder is empty), MAE
/// pre-training, expression fine-tuning, feature extraction, the temporal model, evaluation against trivial baselines
/// and a frame-only head, optionally the paper's Table 5 ablations and the authors' released model; then tables, plots
/// and <c>summary.json</c>.
/// </summary>
internal sealed class DemoRunner(IAnsiConsole console, AffectMaePipeline pipeline)
{
    /// <summary>Runs everything; stages whose outputs exist resume or are skipped, so an interrupted demo continues.</summary>
    public DemoReport Run(string dataRoot, bool ablations, SyntheticOptions? synthetic, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var run = pipeline.Run;
        if (SyntheticDataset.IsEmptyOrMissing(dataRoot))
        {
            var options = synthetic ?? new SyntheticOptions { Seed = pipeline.Recipe.Seed };
            console.MarkupLine($"No data in [bold]{Markup.Escape(dataRoot)}[/]: generating {options.Videos} synthetic videos (seed {options.Seed}).");
            ConsoleStage.Run(console, "Generating synthetic videos", 1, report => SyntheticDataset.Generate(dataRoot, options, overwrite: false,
                new SyncProgress<SyntheticProgress>(p => report.Report(new StepProgress(p.FramesDone, p.TotalFrames, $"{p.VideosDone}/{p.TotalVideos} videos"))), cancellationToken));
        }
        var data = new AbawDataset(dataRoot);
        var report = new DemoReport { Seed = pipeline.Recipe.Seed };

        var pretrain = new TrainingReporter();
        report.Stages.Add(Train("MAE pre-training", pretrain, () => pipeline.Pretrain(data, pretrain, cancellationToken)));
        var finetune = new TrainingReporter();
        report.Stages.Add(Train("Expression fine-tuning", finetune, () => pipeline.FineTune(data, finetune, cancellationToken)));
        foreach (var encoder in ablations ? new[] { EncoderKind.FineTuned, EncoderKind.Pretrained } : [EncoderKind.FineTuned])
            ExtractStage.Report(console, ExtractStage.Run(console, pipeline, data, encoder, Shard.All, null, cancellationToken));

        report.Temporal["constant / majority baseline"] = TaskScores.From(ConstantBaseline.Evaluate(data.Validation));
        var variants = new List<TemporalVariant> { TemporalVariant.FrameOnly };
        variants.AddRange(ablations ? TemporalVariant.Ablations : [TemporalVariant.Full]);
        if (ablations && pipeline.Recipe.TemporalModel != TemporalModelKind.AuthorsTemporalModel)
            variants.Add(TemporalVariant.Authors);                              // theirs next to ours (unless the recipe's is theirs)
        (TrainingReporter Steps, TemporalResult Result)? full = null;
        foreach (var variant in variants)
        {
            var reporter = new TrainingReporter();
            var result = Train($"Temporal model ({variant.Name})", reporter, () => pipeline.TrainTemporal(data, variant, reporter, cancellationToken));
            report.Temporal[variant.Name] = TaskScores.From(result.Scores);
            if (variant == TemporalVariant.Full) full = (reporter, result);
        }

        var (steps, best) = full!.Value;
        var video = data.Validation.MaxBy(v => v.ValenceArousal?.LabelledFrameCount ?? 0)!;
        report.Files.Add(Plots.ValenceArousal(run.Plots, best.Predictions.Single(p => p.Video == video.Video), video.ValenceArousalLabels()));
        report.Files.AddRange(AbawSubmission.Write(run.Predictions, best.Predictions));
        report.Files.Add(Plots.TrainingCurve(run.Plots, "MAE pre-training", pretrain.Losses));
        report.Files.Add(Plots.TrainingCurve(run.Plots, "Expression fine-tuning", finetune.Losses));
        report.Files.Add(Plots.TrainingCurve(run.Plots, "Temporal model", steps.Losses));
        var history = best.Training?.History ?? best.TaskTraining?.Values.First().History;   // the authors' models: the first task's
        report.Files.Add(Plots.ValidationCurve(run.Plots, "Temporal model", history ?? []));
        report.Seconds = clock.Elapsed.TotalSeconds;
        report.Save(run.Summary);
        DemoTables.Write(console, report, ablations);
        return report;
    }

    private T Train<T>(string title, TrainingReporter reporter, Func<T> run) => ConsoleStage.Run(console, title, reporter, run);
}

/// <summary>Feature extraction under a progress bar: frames of the whole data set, with the video in progress.</summary>
internal static class ExtractStage
{
    private const int ListedAtMost = 10;

    /// <summary>Extracts <paramref name="encoder"/>'s features of this shard's videos, reporting frames done.</summary>
    public static ExtractionSummary Run(IAnsiConsole console, AffectMaePipeline pipeline, AbawDataset data, EncoderKind encoder, Shard shard, FeatureExtractionOptions? options, CancellationToken cancellationToken)
    {
        var videos = shard.Select(data.All.Select(v => v.Video)).ToHashSet();
        int total = data.All.Where(v => videos.Contains(v.Video)).Sum(v => v.FrameCount);
        return ConsoleStage.Run(console, $"Extracting features ({encoder.ToString().ToLowerInvariant()})", total, bar =>
        {
            var done = new Dictionary<string, int>();
            var encoded = new Dictionary<string, int>();
            var clock = Stopwatch.StartNew();
            return pipeline.Extract(data, encoder, shard, options, new SyncProgress<ExtractionProgress>(p =>
            {
                done[p.Video] = p.FramesDone;
                if (!p.Skipped) encoded[p.Video] = p.FramesDone;
                double rate = encoded.Values.Sum() / Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
                bar.Report(new StepProgress(done.Values.Sum(), total, $"{p.Video} ({p.VideoIndex + 1}/{p.VideoCount}), {rate:F0} frames/s"));
            }), cancellationToken);
        });
    }

    /// <summary>
    /// Prints what an extraction did, then as warnings, video by video: entries extracted again (stale or damaged),
    /// frames filled from a neighbour, frame files skipped as bad.
    /// </summary>
    public static void Report(IAnsiConsole console, ExtractionSummary summary)
    {
        if (summary.Precision is { } precision)
            console.MarkupLine($"Inference precision: {Markup.Escape(precision.ToString())}");
        console.MarkupLine($"{summary.Extracted} videos extracted, {summary.Skipped} already cached"
            + (summary.ExtractedElsewhere > 0 ? $", {summary.ExtractedElsewhere} extracted by other processes" : "")
            + $", {summary.MissingFrames} frames filled from a neighbour.");
        foreach (var entry in summary.Recomputed.Take(ListedAtMost))
            console.MarkupLine($"[yellow]{Text(entry.Video)}: the cached features were {entry.State.ToString().ToLowerInvariant()} and were extracted again[/] ({Text(entry.Reason)}).");
        More(console, summary.Recomputed.Count, "entries extracted again");
        foreach (var video in summary.Filled.Take(ListedAtMost))
            console.MarkupLine($"[yellow]{Text(video.Video)}: {video.Filled} of {video.Frames} frames ({video.Fraction:P0}) have no readable image[/] and take the features of the nearest frame with one.");
        More(console, summary.Filled.Count, "videos with filled frames");
        foreach (var bad in summary.BadFrames.Take(ListedAtMost))
            console.MarkupLine($"[yellow]skipped a frame that cannot be decoded:[/] {Text(bad.Path)} ({Text(bad.Reason)})");
        More(console, summary.BadFrames.Count, "frames skipped");
    }

    private static void More(IAnsiConsole console, int count, string what)
    {
        if (count > ListedAtMost) console.MarkupLine($"[yellow]… {count - ListedAtMost} more {what}[/] (the log lists them all).");
    }

    private static string Text(string text) => Markup.Escape(AffectMae.Core.IO.PrintableText.Escape(text));
}
