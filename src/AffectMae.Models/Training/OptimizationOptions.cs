using Microsoft.Extensions.Options;

namespace AffectMae.Models.Training;

/// <summary>
/// AdamW with a warm-up then half-cosine learning-rate schedule, as used at every stage of the paper. Presets hold
/// the paper's values: <see cref="Pretraining"/> (§3.1), <see cref="FineTuning"/> (§3.2), <see cref="Temporal"/> (§3.4).
/// </summary>
public sealed class OptimizationOptions
{
    /// <summary>Peak learning rate, reached at the end of warm-up. <value>The default value is 3e-5 (temporal stage).</value></summary>
    public double LearningRate { get; set; } = 3e-5;

    /// <summary>Learning rate at the end of the cosine. <value>The default value is 0.</value></summary>
    public double MinLearningRate { get; set; }

    /// <summary>AdamW decoupled weight decay (TorchSharp's AdamW defaults to 0, so it is always set). <value>The default value is 1e-5.</value></summary>
    public double WeightDecay { get; set; } = 1e-5;

    /// <summary>AdamW β1. <value>The default value is 0.9.</value></summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>AdamW β2. <value>The default value is 0.999 (MAE uses 0.95 for pre-training).</value></summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>Training epochs. <value>The default value is 20.</value></summary>
    public int Epochs { get; set; } = 20;

    /// <summary>Epochs of linear warm-up from 0 to <see cref="LearningRate"/>. <value>The default value is 1.</value></summary>
    public double WarmupEpochs { get; set; } = 1;

    /// <summary>Samples (frames or windows) a batch. <value>The default value is 32.</value></summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Largest global gradient norm before a step, or 0 for no clipping. <value>The default value is 0.</value></summary>
    public double GradientClipNorm { get; set; }

    /// <summary>Seed of every random choice (weights, data order, masks, dropout). <value>The default value is 0.</value></summary>
    public long Seed { get; set; }

    /// <summary>MAE pre-training (§3.1): lr 5e-4, batch 1024, 500 epochs; warm-up 40 epochs, weight decay 0.05, β2 0.95 as MAE.</summary>
    public static OptimizationOptions Pretraining => new()
    {
        LearningRate = 5e-4, BatchSize = 1024, Epochs = 500, WarmupEpochs = 40, WeightDecay = 0.05, Beta2 = 0.95,
    };

    /// <summary>Expression fine-tuning (§3.2): lr 1e-4, batch 256; 50 epochs, warm-up 5, weight decay 0.05 as MAE's ViT-B fine-tuning.</summary>
    public static OptimizationOptions FineTuning => new()
    {
        LearningRate = 1e-4, BatchSize = 256, Epochs = 50, WarmupEpochs = 5, WeightDecay = 0.05,
    };

    /// <summary>Temporal model (§3.4): lr 3e-5, weight decay 1e-5, batch 32, one warm-up epoch, cosine; 20 epochs.</summary>
    public static OptimizationOptions Temporal => new();

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem, if any.</summary>
    public void Validate()
    {
        var result = new OptimizationOptionsValidator().Validate(null, this);
        if (result.Failed)
            throw new ArgumentException($"Invalid {nameof(OptimizationOptions)}: {result.FailureMessage}", "options");
    }
}

/// <summary>Checks <see cref="OptimizationOptions"/>; each message says what to change.</summary>
public sealed class OptimizationOptionsValidator : IValidateOptions<OptimizationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OptimizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!(options.LearningRate > 0)) failures.Add($"LearningRate must be positive; it is {options.LearningRate}.");
        if (!(options.MinLearningRate >= 0 && options.MinLearningRate <= options.LearningRate))
            failures.Add($"MinLearningRate must be in [0, LearningRate = {options.LearningRate}]; it is {options.MinLearningRate}.");
        if (!(options.WeightDecay >= 0)) failures.Add($"WeightDecay must be ≥ 0; it is {options.WeightDecay}.");
        if (!(options.Beta1 >= 0 && options.Beta1 < 1)) failures.Add($"Beta1 must be in [0, 1); it is {options.Beta1}.");
        if (!(options.Beta2 >= 0 && options.Beta2 < 1)) failures.Add($"Beta2 must be in [0, 1); it is {options.Beta2}.");
        if (options.Epochs <= 0) failures.Add($"Epochs must be positive; it is {options.Epochs}.");
        if (!(options.WarmupEpochs >= 0 && options.WarmupEpochs <= options.Epochs))
            failures.Add($"WarmupEpochs must be in [0, Epochs = {options.Epochs}]; it is {options.WarmupEpochs}.");
        if (options.BatchSize <= 0) failures.Add($"BatchSize must be positive; it is {options.BatchSize}.");
        if (!(options.GradientClipNorm >= 0)) failures.Add($"GradientClipNorm must be ≥ 0 (0 turns clipping off); it is {options.GradientClipNorm}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
