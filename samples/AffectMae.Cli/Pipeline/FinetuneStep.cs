using AffectMae.Metrics;
using AffectMae.Models.Data;
using AffectMae.Models.IO;
using AffectMae.Models.Mae;
using AffectMae.Models.Training;
using static TorchSharp.torch;

namespace AffectMae.Cli.Pipeline;

/// <summary>Stage 2: the pre-trained encoder plus a fully connected head, fine-tuned on the 8 expressions of single frames.</summary>
public static class FinetuneStep
{
    /// <summary>Labelled frames of the videos, every k-th.</summary>
    public static LabelledFrameDataset Frames(FrameSet data, IEnumerable<Core.Data.AbawVideo> videos, int stride, ImageTransform transform)
    {
        var frames = data.SampledFrames(videos.Where(v => v.Expression is not null), stride).ToList();
        return new LabelledFrameDataset(frames.Select(f => f.Path).ToList(), frames.Select(f => f.Video.ExpressionLabels()[f.FrameIndex]).ToList(), transform);
    }

    /// <summary>Optimiser steps the run takes.</summary>
    public static int Steps(FrameSet data, PipelineSettings settings) =>
        settings.FineTuning.Epochs * (int)Math.Ceiling(Frames(data, data.Train, settings.FinetuneFrameStride, ImageTransform.Eval(settings.ImageSize)).Count / (double)settings.FineTuning.BatchSize);

    /// <summary>Fine-tunes from the pre-trained weights (resuming when a checkpoint exists), keeps the best epoch, saves it.</summary>
    public static StageResult Run(FrameSet data, Workspace workspace, PipelineSettings settings, TrainingReporter reporter, Device? device, CancellationToken cancellationToken)
    {
        var transform = ImageTransform.Eval(settings.ImageSize);
        var train = Frames(data, data.Train, settings.FinetuneFrameStride, transform);
        var validation = Frames(data, data.Validation, settings.FinetuneFrameStride, transform);
        manual_seed(settings.Seed);
        using var model = new MaeClassifier(new MaeClassifierOptions { Encoder = settings.Mae }, device);
        if (!File.Exists(workspace.MaeWeights))
            throw new FileNotFoundException($"No pre-trained weights at {workspace.MaeWeights}; run `pretrain` first.", workspace.MaeWeights);
        MaeCheckpoint.LoadPretrainedEncoder(model, workspace.MaeWeights);
        var stage = new ExpressionFineTuningStage(model, settings.FineTuning);
        var checkpoints = new CheckpointPolicy { Folder = workspace.ClassifierCheckpoints, EverySteps = 50 };
        stage.Run(train, validation, new StageRunOptions { Checkpoints = checkpoints, Device = device, Progress = reporter }, cancellationToken);
        StateDictLoader.LoadFile(model, Path.Combine(checkpoints.Best, "model.safetensors"));
        SafeTensors.Save(workspace.ClassifierWeights, model.state_dict());

        var gold = validation.Labels.Select(l => (int)l).ToArray();
        int majority = gold.GroupBy(c => c).MaxBy(g => g.Count())!.Key;
        return new StageResult("Expression fine-tuning", "P_EXPR, single frames (val)", stage.Evaluate(validation, device),
            MacroF1.Compute(Enumerable.Repeat(majority, gold.Length).ToArray(), gold), "majority class");
    }
}
