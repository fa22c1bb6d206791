using AffectMae.Core.Options;
using AffectMae.Models.Data;
using AffectMae.Models.Mae;
using static TorchSharp.torch;

namespace AffectMae.Models.Training;

/// <summary>
/// Stage 1 (paper §3.1): MAE pre-training on unlabelled face frames, <see cref="MaeViTOptions.MaskRatio"/> of the
/// patches masked (75 %), AdamW with warm-up and cosine; biases and 1-D parameters are not decayed
/// (<see cref="WeightDecayGroups"/>).
/// </summary>
public sealed class MaePretrainingStage
{
    /// <summary>Creates the stage for <paramref name="model"/>.</summary>
    public MaePretrainingStage(MaeViT model, OptimizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Options = OptionsValidation.ValidatedCopy(new OptimizationOptionsValidator(), options ?? OptimizationOptions.Pretraining, nameof(options));
    }

    /// <summary>The model trained.</summary>
    public MaeViT Model { get; }

    /// <summary>Optimisation settings.</summary>
    public OptimizationOptions Options { get; }

    /// <summary>Fraction of patches removed: the model's <see cref="MaeViTOptions.MaskRatio"/>.</summary>
    public double MaskRatio => Model.Options.MaskRatio;

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
