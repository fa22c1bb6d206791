// The single-stage verbs: pretrain, finetune, extract, train, evaluate, predict. Each runs one step of the demo
// pipeline on --data / --work, resuming from checkpoints, so a real ABAW folder can be processed stage by stage.
using System.CommandLine;
using AffectMae.Cli.Pipeline;
using AffectMae.Models.Features;
using Spectre.Console;

namespace AffectMae.Cli.Commands;

/// <summary>Factories of the single-stage verbs.</summary>
public static class StageCommands
{
    /// <summary><c>pretrain</c>: MAE pre-training on the training videos' frames.</summary>
    public static Command Pretrain(IAnsiConsole console) => Verb(console, "pretrain", "Pre-train the MAE ViT on frames of the training videos.", (run, _, ct) =>
    {
        var data = new FrameSet(run.DataRoot);
        var reporter = new TrainingReporter(PretrainStep.Steps(data, run.Settings));
        var result = ConsoleStage.Run(console, "MAE pre-training", reporter, () => PretrainStep.Run(data, run.Workspace, run.Settings, reporter, run.Device, ct));
        Report(console, result);
        console.MarkupLine($"wrote [bold]{Markup.Escape(Plots.TrainingCurve(run.Workspace.Plots, "MAE pre-training", reporter.Losses))}[/]");
    });

    /// <summary><c>finetune</c>: expression fine-tuning of the pre-trained encoder.</summary>
    public static Command Finetune(IAnsiConsole console) => Verb(console, "finetune", "Fine-tune the pre-trained encoder on the 8 expressions.", (run, _, ct) =>
    {
        var data = new FrameSet(run.DataRoot);
        var reporter = new TrainingReporter(FinetuneStep.Steps(data, run.Settings));
        var result = ConsoleStage.Run(console, "Expression fine-tuning", reporter, () => FinetuneStep.Run(data, run.Workspace, run.Settings, reporter, run.Device, ct));
        Report(console, result);
    });

    /// <summary><c>extract</c>: per-frame features of every video, cached and resumable; <c>--shard i/N</c> splits the work.</summary>
    public static Command Extract(IAnsiConsole console)
    {
        var shard = new Option<string>("--shard") { Description = "Process shard i of N (0-based), e.g. 0/4, to split the videos over machines.", DefaultValueFactory = _ => "0/1" };
        var encoder = new Option<string>("--encoder") { Description = "finetuned (the paper's features) or pretrained (the no-fine-tuning ablation).", DefaultValueFactory = _ => ExtractStep.FineTuned };
        encoder.AcceptOnlyFromAmong(ExtractStep.FineTuned, ExtractStep.Pretrained);
        return Verb(console, "extract", "Extract and cache one feature matrix a video.", (run, parse, ct) =>
        {
            var data = new FrameSet(run.DataRoot);
            var which = parse.GetValue(encoder)!;
            var summary = ConsoleStage.Run(console, $"Extracting features ({which})", ExtractStep.Frames(data),
                p => ExtractStep.Run(data, run.Workspace, run.Settings, which, Shard.Parse(parse.GetValue(shard)!), p, run.Device, ct));
            console.MarkupLine($"{summary.Extracted} videos extracted, {summary.Skipped} already cached, {summary.MissingFrames} frames without image filled from a neighbour.");
        }, shard, encoder);
    }

    /// <summary><c>train</c>: the temporal model on cached features.</summary>
    public static Command Train(IAnsiConsole console)
    {
        var variant = VariantOption();
        return Verb(console, "train", "Train the temporal model (TCN → Transformer → heads) on cached features.", (run, parse, ct) =>
        {
            var data = new FrameSet(run.DataRoot);
            var chosen = Variant(parse.GetValue(variant)!);
            var reporter = new TrainingReporter(TemporalStep.Steps(data, run.Settings));
            var (scores, _) = ConsoleStage.Run(console, $"Temporal model ({chosen.Name})", reporter, () => TemporalStep.Run(data, run.Workspace, run.Settings, chosen, reporter, run.Device, ct));
            Scores(console, chosen.Name, TaskScores.From(scores), TaskScores.From(TemporalStep.Baseline(data.Validation)));
        }, variant);
    }

    /// <summary><c>evaluate</c>: scores a trained temporal model on the validation videos and writes its predictions.</summary>
    public static Command Evaluate(IAnsiConsole console)
    {
        var variant = VariantOption();
        return Verb(console, "evaluate", "Score a trained temporal model on the validation videos (P_VA, P_EXPR, P_AU).", (run, parse, ct) =>
        {
            var chosen = Variant(parse.GetValue(variant)!);
            if (!File.Exists(Path.Combine(run.Workspace.Temporal(chosen.Name), "best", "model.safetensors")))
                throw new FileNotFoundException($"No trained model in {run.Workspace.Temporal(chosen.Name)}; run `train --variant {chosen.Name}` first.");
            var data = new FrameSet(run.DataRoot);
            var (scores, predictions) = TemporalStep.Run(data, run.Workspace, run.Settings, chosen, new TrainingReporter(0), run.Device, ct);
            Scores(console, chosen.Name, TaskScores.From(scores), TaskScores.From(TemporalStep.Baseline(data.Validation)));
            foreach (var file in PredictionFiles.Write(run.Workspace.Predictions, predictions))
                console.MarkupLine($"wrote [bold]{Markup.Escape(file)}[/]");
        }, variant);
    }

    /// <summary><c>predict</c>: per-frame predictions for a folder of frames.</summary>
    public static Command Predict(IAnsiConsole console)
    {
        var frames = new Option<DirectoryInfo>("--frames") { Description = "Folder of one video's face frames (.jpg/.png, in name order).", Required = true };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Where va.txt, expr.txt and au.txt go.", Required = true };
        return Verb(console, "predict", "Predict valence/arousal, expression and AUs for every frame of a folder.", (run, parse, _) =>
        {
            foreach (var file in PredictStep.Run(parse.GetValue(frames)!.FullName, parse.GetValue(output)!.FullName, run.Workspace, run.Settings, TemporalVariant.Full, run.Device))
                console.MarkupLine($"wrote [bold]{Markup.Escape(file)}[/]");
        }, frames, output);
    }

    private static Option<string> VariantOption()
    {
        var option = new Option<string>("--variant") { Description = "Which model: full, frame-only, no-finetuning, no-tcn, no-transformer.", DefaultValueFactory = _ => TemporalVariant.Full.Name };
        option.AcceptOnlyFromAmong([.. TemporalVariant.Ablations.Append(TemporalVariant.FrameOnly).Select(v => v.Name)]);
        return option;
    }

    private static TemporalVariant Variant(string name) => TemporalVariant.Ablations.Append(TemporalVariant.FrameOnly).Single(v => v.Name == name);

    private static Command Verb(IAnsiConsole console, string name, string description,
        Action<(PipelineSettings Settings, Workspace Workspace, string DataRoot, TorchSharp.torch.Device? Device), ParseResult, CancellationToken> body, params Option[] options)
    {
        var common = new CommonOptions();
        var command = new Command(name, description);
        foreach (var option in options) command.Options.Add(option);
        common.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            if (common.Resolve(parse, console) is not { } run) return Task.FromResult(ExitCodes.UsageError);
            return Task.FromResult(CommonOptions.Guard(console, () =>
            {
                body(run, parse, cancellationToken);
                return ExitCodes.Success;
            }));
        });
        return command;
    }

    private static void Report(IAnsiConsole console, StageResult result) =>
        console.MarkupLine($"{Markup.Escape(result.Stage)}: {Markup.Escape(result.Metric)} = [bold]{TaskScores.Format(result.Value)}[/] (baseline, {Markup.Escape(result.BaselineName)}: {TaskScores.Format(result.Baseline)})");

    private static void Scores(IAnsiConsole console, string name, TaskScores ours, TaskScores baseline)
    {
        var table = new Table().Title("Validation videos").AddColumn("model").AddColumn(new TableColumn("P_VA").RightAligned()).AddColumn(new TableColumn("P_EXPR").RightAligned()).AddColumn(new TableColumn("P_AU").RightAligned());
        table.AddRow("constant / majority baseline", TaskScores.Format(baseline.ValenceArousal), TaskScores.Format(baseline.Expression), TaskScores.Format(baseline.ActionUnits));
        table.AddRow(Markup.Escape(name), TaskScores.Format(ours.ValenceArousal), TaskScores.Format(ours.Expression), TaskScores.Format(ours.ActionUnits));
        console.Write(table);
    }
}
