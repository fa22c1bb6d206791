using System.Diagnostics;
using AffectMae.Cli.Synthetic;
using AffectMae.Models.Features;
using Spectre.Console;
using static TorchSharp.torch;

namespace AffectMae.Cli.Pipeline;

/// <summary>
/// The whole method end to end: synthetic data (when the data folder is empty), MAE pre-training, expression
/// fine-tuning, feature extraction, the temporal model, evaluation against trivial baselines and a frame-only head,
/// optionally the paper's Table 5 ablations; then tables, plots and <c>summary.json</c>.
/// </summary>
public sealed class DemoRunner(IAnsiConsole console, Device? device)
{
    /// <summary>Runs everything; stages whose outputs exist resume or are skipped, so an interrupted demo continues.</summary>
    public DemoReport Run(string dataRoot, Workspace workspace, PipelineSettings settings, bool ablations, SyntheticOptions? synthetic, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (SyntheticDataset.IsEmptyOrMissing(dataRoot))
        {
            var options = synthetic ?? new SyntheticOptions { Seed = settings.Seed };
            console.MarkupLine($"No data in [bold]{Markup.Escape(dataRoot)}[/]: generating {options.Videos} synthetic videos (seed {options.Seed}).");
            Stage("Generating synthetic videos", 1, report => SyntheticDataset.Generate(dataRoot, options, overwrite: false,
                new SyncProgress<SyntheticProgress>(p => report.Report(new StepProgress(p.FramesDone, p.TotalFrames, $"{p.VideosDone}/{p.TotalVideos} videos"))), cancellationToken));
        }
        var data = new FrameSet(dataRoot);
        var report = new DemoReport { Seed = settings.Seed };

        var pretrain = new TrainingReporter(PretrainStep.Steps(data, settings));
        report.Stages.Add(Stage("MAE pre-training", pretrain, () => PretrainStep.Run(data, workspace, settings, pretrain, device, cancellationToken)));
        var finetune = new TrainingReporter(FinetuneStep.Steps(data, settings));
        report.Stages.Add(Stage("Expression fine-tuning", finetune, () => FinetuneStep.Run(data, workspace, settings, finetune, device, cancellationToken)));
        foreach (var encoder in ablations ? new[] { ExtractStep.FineTuned, ExtractStep.Pretrained } : [ExtractStep.FineTuned])
            Stage($"Extracting features ({encoder})", ExtractStep.Frames(data), p => ExtractStep.Run(data, workspace, settings, encoder, Shard.All, p, device, cancellationToken));

        report.Temporal["constant / majority baseline"] = TaskScores.From(TemporalStep.Baseline(data.Validation));
        var variants = new List<TemporalVariant> { TemporalVariant.FrameOnly };
        variants.AddRange(ablations ? TemporalVariant.Ablations : [TemporalVariant.Full]);
        TrainingReporter? fullCurve = null;
        foreach (var variant in variants)
        {
            var reporter = new TrainingReporter(TemporalStep.Steps(data, settings));
            var (scores, predictions) = Stage($"Temporal model ({variant.Name})", reporter, () => TemporalStep.Run(data, workspace, settings, variant, reporter, device, cancellationToken));
            if (variant == TemporalVariant.Full) fullCurve = reporter;
            report.Temporal[variant.Name] = TaskScores.From(scores);
            if (variant == TemporalVariant.Full)
            {
                var video = data.Validation.MaxBy(v => v.ValenceArousal?.LabelledFrameCount ?? 0)!;
                report.Files.Add(Plots.ValenceArousal(workspace.Plots, predictions.Single(p => p.Video == video.Video), video.ValenceArousalLabels()));
                report.Files.AddRange(PredictionFiles.Write(workspace.Predictions, predictions));
            }
        }
        report.Files.Add(Plots.TrainingCurve(workspace.Plots, "MAE pre-training", pretrain.Losses));
        report.Files.Add(Plots.TrainingCurve(workspace.Plots, "Expression fine-tuning", finetune.Losses));
        report.Files.Add(Plots.TrainingCurve(workspace.Plots, "Temporal model", fullCurve!.Losses));
        report.Seconds = clock.Elapsed.TotalSeconds;
        report.Save(workspace.Summary);
        DemoTables.Write(console, report, ablations);
        return report;
    }

    private T Stage<T>(string title, TrainingReporter reporter, Func<T> run) => ConsoleStage.Run(console, title, reporter, run);

    private T Stage<T>(string title, int total, Func<IProgress<StepProgress>, T> run) => ConsoleStage.Run(console, title, total, run);
}
