using AffectMae.Models.Data;
using AffectMae.Models.IO;
using AffectMae.Models.Mae;
using AffectMae.Models.Runtime;
using AffectMae.Models.Training;
using static TorchSharp.torch;

namespace AffectMae.Cli.Pipeline;

/// <summary>Stage 1: MAE pre-training on frames of the training videos; scored by the masked-patch loss on validation frames.</summary>
public static class PretrainStep
{
    /// <summary>Optimiser steps the run takes.</summary>
    public static int Steps(FrameSet data, PipelineSettings settings) =>
        settings.Pretraining.Epochs * (int)Math.Ceiling(data.SampledFrames(data.Train, settings.PretrainFrameStride).Count() / (double)settings.Pretraining.BatchSize);

    /// <summary>Trains (resuming from a checkpoint when one exists), saves the weights, and returns the validation result.</summary>
    public static StageResult Run(FrameSet data, Workspace workspace, PipelineSettings settings, TrainingReporter reporter, Device? device, CancellationToken cancellationToken)
    {
        var train = data.SampledFrames(data.Train, settings.PretrainFrameStride).Select(f => f.Path).ToList();
        var images = new ImageListDataset(train, ImageTransform.MaePretraining(settings.ImageSize));
        manual_seed(settings.Seed);
        using var model = new MaeViT(settings.Mae, device);
        var stage = new MaePretrainingStage(model, settings.Pretraining);
        stage.Run(images, new StageRunOptions
        {
            Checkpoints = new CheckpointPolicy { Folder = workspace.MaeCheckpoints, EverySteps = 50 },
            Device = device,
            Progress = reporter,
        }, cancellationToken);
        SafeTensors.Save(workspace.MaeWeights, model.state_dict());

        // Validation: the mean masked-patch loss, against predicting 0 (the normalised mean pixel) everywhere.
        var validation = data.SampledFrames(data.Validation, settings.PretrainFrameStride * 4).Select(f => f.Path).Take(512).ToList();
        var (loss, zeroBaseline) = ValidationLoss(model, validation, settings);
        return new StageResult("MAE pre-training", "masked-patch MSE (val, lower is better)", loss, zeroBaseline, "mean pixel (0)");
    }

    private static (double Loss, double Baseline) ValidationLoss(MaeViT model, IReadOnlyList<string> paths, PipelineSettings settings)
    {
        model.eval();
        var transform = ImageTransform.Eval(settings.ImageSize);
        double loss = 0, baseline = 0;
        int batches = 0;
        manual_seed(settings.Seed + 1);
        using (no_grad())
        {
            foreach (var chunk in paths.Chunk(64))
            {
                using var pause = CollectionPause.Begin();
                using var scope = NewDisposeScope();
                var images = FrameSet.LoadBatch(chunk, transform, model.parameters().First().device);
                loss += model.Forward(images, 0.75).Loss.item<float>();
                baseline += model.Patchify(images).square().mean().item<float>();   // E[x²]: the loss of predicting 0
                batches++;
            }
        }
        return (loss / batches, baseline / batches);
    }
}
