// The single-stage verbs: pretrain, finetune, extract, train, evaluate, predict. Each calls one stage of the
// library's AffectMaePipeline on --data / --work with --recipe, resuming from checkpoints, so a real ABAW folder can be
// processed stage by stage; this file only parses, prints and plots. predict's video and photo input is in VideoCommands.
using System.CommandLine;
using AffectMae.Cli.Reporting;
using AffectMae.Core.IO;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Features;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Runtime;
using AffectMae.Models.Training;
using Spectre.Console;

namespace AffectMae.Cli.Commands;

/// <summary>Factories of the single-stage verbs.</summary>
internal static class StageCommands
{
    /// <summary><c>pretrain</c>: MAE pre-training on the training videos' frames.</summary>
    public static Command Pretrain(IAnsiConsole console) => Verb(console, "pretrain", "Pre-train the MAE ViT on frames of the training videos.", (run, _, ct) =>
    {
        var data = new AbawDataset(run.DataRoot);
        var reporter = new TrainingReporter();
        Resuming(console, run.Pipeline.Run.PretrainCheckpoints, run.Pipeline.Recipe.Optimization.Pretraining.Epochs);
        var result = ConsoleStage.Run(console, "MAE pre-training", reporter, () => run.Pipeline.Pretrain(data, reporter, ct));
        Report(console, result);
        ConsoleLines.Wrote(console, Plots.TrainingCurve(run.Pipeline.Run.Plots, "MAE pre-training", reporter.Losses));
    });

    /// <summary><c>finetune</c>: expression fine-tuning of the pre-trained encoder.</summary>
    public static Command Finetune(IAnsiConsole console) => Verb(console, "finetune", "Fine-tune the pre-trained encoder on the 8 expressions.", (run, _, ct) =>
    {
        var data = new AbawDataset(run.DataRoot);
        var reporter = new TrainingReporter();
        Resuming(console, run.Pipeline.Run.FineTuneCheckpoints, run.Pipeline.Recipe.Optimization.FineTuning.Epochs);
        Report(console, ConsoleStage.Run(console, "Expression fine-tuning", reporter, () => run.Pipeline.FineTune(data, reporter, ct)));
    });

    /// <summary><c>extract</c>: per-frame features of every video, cached and resumable; <c>--shard i/N</c> splits the work.</summary>
    public static Command Extract(IAnsiConsole console)
    {
        var shard = new Option<string>("--shard") { Description = "Process shard i of N (0-based), e.g. 0/4, to split the videos over machines; shards may overlap (a video claimed by one process is left to it).", DefaultValueFactory = _ => "0/1" };
        var encoder = EncoderOption();
        var badFrames = BadFramesOption("take the feature of the nearest frame, as frames without an image do");
        var defaults = new FeatureExtractionOptions();
        var maxFilled = new Option<double>("--max-filled") { Description = "Refuse a video when more than this share of its annotated frames has no readable image (their features would be copies).", DefaultValueFactory = _ => defaults.MaxFilledFraction };
        return Verb(console, "extract", "Extract and cache one feature matrix a video; stale or damaged cache entries are extracted again.", (run, parse, ct) =>
        {
            var data = new AbawDataset(run.DataRoot);
            var options = new FeatureExtractionOptions { BadFrames = parse.GetValue(badFrames), MaxFilledFraction = parse.GetValue(maxFilled) };
            ExtractStage.Report(console, ExtractStage.Run(console, run.Pipeline, data, Encoder(parse.GetValue(encoder)!), Shard.Parse(parse.GetValue(shard)!), options, ct));
        }, shard, encoder, badFrames, maxFilled);
    }

    /// <summary><c>train</c>: the temporal model on cached features.</summary>
    public static Command Train(IAnsiConsole console)
    {
        var variant = VariantOption();
        return Verb(console, "train", "Train a temporal model on cached features: ours (TCN → Transformer → heads) or, by --variant or the recipe, the authors'.", (run, parse, ct) =>
        {
            var data = new AbawDataset(run.DataRoot);
            var chosen = TemporalVariant.Named(parse.GetValue(variant)!);
            var reporter = new TrainingReporter();
            Resuming(console, run.Pipeline.Run.TemporalCheckpoints(chosen), run.Pipeline.Recipe.Optimization.Temporal.Epochs);
            var result = ConsoleStage.Run(console, $"Temporal model ({chosen.Name})", reporter, () => run.Pipeline.TrainTemporal(data, chosen, reporter, ct));
            Scores(console, chosen.Name, TaskScores.From(result.Scores), TaskScores.From(ConstantBaseline.Evaluate(data.Validation)));
            if (result.Training is { } training)
                ConsoleLines.Wrote(console, Plots.ValidationCurve(run.Pipeline.Run.Plots, $"Temporal model ({chosen.Name})", training.History ?? []));
            foreach (var (task, state) in result.TaskTraining ?? new Dictionary<AffectMae.Core.Data.AffectTask, AffectMae.Models.Training.TrainingState>())
                ConsoleLines.Wrote(console, Plots.ValidationCurve(run.Pipeline.Run.Plots, $"Temporal model ({chosen.Name}, {task})", state.History ?? []));
            ConsoleLines.Wrote(console, run.Pipeline.Run.TemporalModel(chosen));
        }, variant);
    }

    /// <summary><c>evaluate</c>: scores a trained temporal model (its bundle) on the validation videos and writes its predictions; never trains.</summary>
    public static Command Evaluate(IAnsiConsole console)
    {
        var variant = VariantOption();
        var temporal = new Option<DirectoryInfo?>("--temporal-model") { Description = "Temporal bundle to score (default: the run folder's model of --variant); it reads the features of the variant's encoder." };
        return Verb(console, "evaluate", "Score a trained temporal model on the validation videos (P_VA, P_EXPR, P_AU); reads only.", (run, parse, ct) =>
        {
            var data = new AbawDataset(run.DataRoot);
            var chosen = TemporalVariant.Named(parse.GetValue(variant)!);
            var result = ConsoleStage.Run(console, $"Evaluating ({chosen.Name})", 1, bar => run.Pipeline.Evaluate(data, chosen, parse.GetValue(temporal)?.FullName,
                new SyncProgress<EvaluationProgress>(p => bar.Report(new StepProgress(p.WindowsDone, p.WindowCount, $"{p.WindowsDone}/{p.WindowCount} windows"))), ct));
            Scores(console, chosen.Name, TaskScores.From(result.Scores), TaskScores.From(ConstantBaseline.Evaluate(data.Validation)));
            foreach (var file in AbawSubmission.Write(run.Pipeline.Run.Predictions, result.Predictions))
                ConsoleLines.Wrote(console, file);
        }, variant, temporal);
    }

    /// <summary><c>predict</c>: per-frame predictions for a folder of one video's face frames, a video or a photo, from model bundles.</summary>
    public static Command Predict(IAnsiConsole console)
    {
        var frames = new Option<DirectoryInfo?>("--frames") { Description = "Folder of one video's face frames (already cropped); frames are numbered by their file names (00001.jpg, 2.png, …)." };
        var video = new Option<FileInfo?>("--video") { Description = "A video file: every decoded frame gets a row; the face is found, followed and cropped the way the encoder's training frames were." };
        var image = new Option<FileInfo?>("--image") { Description = "A photo: one row, its face found and cropped like a video frame." };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Where <name>.csv goes (with --frames also the ABAW files va.txt, expr.txt, au.txt; with --plot the PNG).", Required = true };
        var encoder = new Option<DirectoryInfo?>("--encoder-model") { Description = "Encoder bundle (default: the run folder's fine-tuned encoder)." };
        var temporal = new Option<DirectoryInfo?>("--temporal-model") { Description = "Temporal bundle (default: the run folder's model of --variant)." };
        var gaps = new Option<FrameGapPolicy>("--gaps") { Description = "Frame numbers without an image (--frames): Mark (rows without a face) or Refuse.", DefaultValueFactory = _ => FrameGapPolicy.Mark };
        var badFrames = BadFramesOption("become rows without a face");
        var protocol = new Option<InferenceProtocol?>("--protocol") { Description = $"How windows become per-frame predictions: {string.Join(", ", Enum.GetNames<InferenceProtocol>())} (default: the temporal bundle's, as it was validated)." };
        var plot = new Option<bool>("--plot") { Description = "Also write va-<name>.png: predicted valence and arousal over time (frames without a face are gaps)." };
        var variant = VariantOption();
        var faces = new VideoCommands();
        var command = Verb(console, "predict", "Predict valence/arousal, expression and AUs for every frame of a frame folder, a video or a photo.", (run, parse, ct) =>
        {
            var inputs = new (string Option, string? Path)[] { ("--frames", parse.GetValue(frames)?.FullName), ("--video", parse.GetValue(video)?.FullName), ("--image", parse.GetValue(image)?.FullName) };
            if (inputs.Count(i => i.Path is not null) != 1)
                throw new ArgumentException($"predict: give exactly one of --frames, --video or --image (got {(inputs.Any(i => i.Path is not null) ? string.Join(", ", inputs.Where(i => i.Path is not null).Select(i => i.Option)) : "none")}).");
            var chosen = TemporalVariant.Named(parse.GetValue(variant)!);
            string temporalFolder = parse.GetValue(temporal)?.FullName ?? run.Pipeline.Run.TemporalModel(chosen);
            var options = new AffectRecognizerOptions { BatchSize = run.Pipeline.Recipe.Inference.EncoderBatchSize, Gaps = parse.GetValue(gaps), BadFrames = parse.GetValue(badFrames), Precision = run.Precision };
            if (parse.GetValue(protocol) is { } chosenProtocol)
            {
                options.Inference = ModelManifest.Read(temporalFolder).Temporal?.Inference ?? new InferenceOptions();
                options.Inference.Protocol = chosenProtocol;
            }
            using var recognizer = AffectRecognizer.Load(
                parse.GetValue(encoder)?.FullName ?? run.Pipeline.Run.EncoderModel(chosen.Encoder), temporalFolder, run.Pipeline.Device, options);
            console.MarkupLine($"Inference precision: {Markup.Escape(recognizer.Precision.ToString())}");
            string folder = parse.GetValue(output)!.FullName;
            if (inputs[0].Path is not { } framesFolder)
            {
                VideoCommands.Predict(console, recognizer, faces.Faces(parse), inputs.First(i => i.Path is not null).Path!, folder, parse.GetValue(plot), ct);
                return;
            }
            var result = recognizer.PredictFolder(framesFolder, ct);
            if (result.MissingFrames.Count > 0)
                console.MarkupLine($"[yellow]{result.MissingFrames.Count} frame number(s) had no image[/] ({Markup.Escape(ConsoleLines.Abbreviated(result.MissingFrames))}); their rows have face_found 0.");
            foreach (var bad in result.BadFrames.Take(10))
                console.MarkupLine($"[yellow]frame {bad.Index} cannot be decoded[/] ({Markup.Escape(PrintableText.Escape(bad.Reason))}); its row has face_found 0.");
            if (result.BadFrames.Count > 10)
                console.MarkupLine($"[yellow]… and {result.BadFrames.Count - 10} more frames that cannot be decoded[/] ({Markup.Escape(string.Join(", ", result.BadFrames.Skip(10).Select(b => b.Index)))}).");
            string csv = Path.Combine(folder, result.Video + ".csv");
            AffectCsv.Write(csv, result.Frames);
            ConsoleLines.Wrote(console, csv);
            if (result.Frames[0].Frame == 1)
                foreach (var file in AbawSubmission.Write(folder, [result])) ConsoleLines.Wrote(console, file);
            if (parse.GetValue(plot))
                ConsoleLines.Wrote(console, Plots.ValenceArousalOverTime(folder, result.Video, [.. result.Frames.Select(f => ((double)f.Frame, f.Valence, f.Arousal))], "frame"));
        }, frames, video, image, output, encoder, temporal, gaps, badFrames, protocol, plot, variant);
        faces.AddTo(command);
        return command;
    }

    private static Option<string> VariantOption()
    {
        var option = new Option<string>("--variant") { Description = $"Which model: {string.Join(", ", TemporalVariant.All.Select(v => v.Name))}.", DefaultValueFactory = _ => TemporalVariant.Full.Name };
        option.AcceptOnlyFromAmong([.. TemporalVariant.All.Select(v => v.Name)]);
        return option;
    }

    private static Option<BadFramePolicy> BadFramesOption(string skipped) =>
        new("--bad-frames") { Description = $"Frame files that cannot be decoded (empty, truncated, not an image): Fail (naming the file) or Skip (they {skipped}, and are listed).", DefaultValueFactory = _ => BadFramePolicy.Fail };

    private static Option<string> EncoderOption()
    {
        var option = new Option<string>("--encoder") { Description = "finetuned (the paper's features) or pretrained (the no-fine-tuning ablation).", DefaultValueFactory = _ => "finetuned" };
        option.AcceptOnlyFromAmong("finetuned", "pretrained");
        return option;
    }

    private static EncoderKind Encoder(string name) => name == "pretrained" ? EncoderKind.Pretrained : EncoderKind.FineTuned;

    private static Command Verb(IAnsiConsole console, string name, string description, Action<VerbContext, ParseResult, CancellationToken> body, params Option[] options)
    {
        var common = new CommonOptions();
        var command = new Command(name, description);
        foreach (var option in options) command.Options.Add(option);
        common.AddTo(command);
        CommonOptions.SetAction(command, console, (parse, ct) => body(common.Resolve(parse), parse, ct), resumable: name is not ("evaluate" or "predict"));
        return command;
    }

    // Says where an interrupted stage goes on from (the stage itself resumes from last/ when it exists).
    private static void Resuming(IAnsiConsole console, string checkpoints, int epochs)
    {
        string last = new CheckpointPolicy { Folder = checkpoints }.Last;
        if (!TrainingCheckpoint.Exists(last)) return;
        var state = TrainingCheckpoint.ReadState(last);
        console.MarkupLine($"Resuming from [bold]{Markup.Escape(last)}[/]: {state.Epoch} of {epochs} epochs done"
            + (state.StepInEpoch > 0 ? $", {state.StepInEpoch} steps into the next." : "."));
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
