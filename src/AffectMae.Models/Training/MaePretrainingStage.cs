using AffectMae.Models.Data;
using AffectMae.Models.Mae;
using static TorchSharp.torch;

namespace AffectMae.Models.Training;

/// <summary>
/// Stage 1 (paper §3.1): MAE pre-training on unlabelled face frames, 75 % of patches masked, AdamW with warm-up and
/// cosine; biases, norms and tokens are not decayed.
/// </summary>
public sealed class MaePretrainingStage
{
    /// <summary>Creates the stage for <paramref name="model"/>.</summary>
    public MaePretrainingStage(MaeViT model, OptimizationOptions? options = null, double maskRatio = 0.75)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(maskRatio >= 0 && maskRatio < 1))
            throw new ArgumentOutOfRangeException(nameof(maskRatio), maskRatio, "The mask ratio must be in [0, 1) (the paper uses 0.75).");
        Model = model;
        Options = options ?? OptimizationOptions.Pretraining;
        Options.Validate();
        MaskRatio = maskRatio;
    }

    /// <summary>The model trained.</summary>
    public MaeViT Model { get; }

    /// <summary>Optimisation settings.</summary>
    public OptimizationOptions Options { get; }

    /// <summary>Fraction of patches removed.</summary>
    public double MaskRatio { get; }

    /// <summary>The reconstruction loss of one batch of images.</summary>
    public Tensor Loss(ImageBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (loss, pred, mask) = Model.Forward(batch.Images, MaskRatio);
        pred.Dispose();
        mask.Dispose();
        return loss;
    }

    /// <summary>Trains to the end, resuming from <c>last/</c> when present.</summary>
    public TrainingState Run(ImageListDataset images, StageRunOptions? run = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        run ??= new StageRunOptions();
        if (run.Checkpoints is null || !TrainingCheckpoint.Exists(run.Checkpoints.Last)) manual_seed(Options.Seed);
        using var optimizer = WeightDecayGroups.CreateAdamW(Model, Options);
        return StageRun.Fit(Model, optimizer, Options, images, Loss, validate: null, run, cancellationToken);
    }
}
