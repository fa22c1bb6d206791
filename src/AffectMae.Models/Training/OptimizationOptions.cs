using System.ComponentModel.DataAnnotations;
using AffectMae.Core.Options;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Training;

/// <summary>
/// AdamW with a warm-up then half-cosine learning-rate schedule, as used at every stage of the paper. Presets hold
/// the paper's values: <see cref="Pretraining"/> (§3.1), <see cref="FineTuning"/> (§3.2), <see cref="Temporal"/> (§3.4).
/// </summary>
public sealed class OptimizationOptions
{
    /// <summary>
    /// The configuration section of the three stages' options within the recipe (<c>AffectMae:Recipe:Optimization</c>);
    /// each stage is a named sub-section and a named option: <c>Pretraining</c>, <c>FineTuning</c>, <c>Temporal</c>.
    /// </summary>
    public const string SectionName = "Optimization";

    /// <summary>Peak learning rate, reached at the end of warm-up. <value>The default value is 3e-5 (temporal stage).</value></summary>
    [Range(0.0, 1e3, MinimumIsExclusive = true, ErrorMessage = "OptimizationOptions.LearningRate must be positive; the paper uses 5e-4, 1e-4 and 3e-5 for its three stages.")]
    public double LearningRate { get; set; } = 3e-5;

    /// <summary>Learning rate at the end of the cosine. <value>The default value is 0.</value></summary>
    [Range(0.0, 1e3, ErrorMessage = "OptimizationOptions.MinLearningRate must be ≥ 0 (and at most LearningRate); use 0 to decay to zero.")]
    public double MinLearningRate { get; set; }

    /// <summary>AdamW decoupled weight decay (TorchSharp's AdamW defaults to 0, so it is always set). <value>The default value is 1e-5.</value></summary>
    [Range(0.0, 1e3, ErrorMessage = "OptimizationOptions.WeightDecay must be ≥ 0; use 0 to switch it off.")]
    public double WeightDecay { get; set; } = 1e-5;

    /// <summary>AdamW β1. <value>The default value is 0.9.</value></summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "OptimizationOptions.Beta1 must lie in [0, 1); AdamW uses 0.9.")]
    public double Beta1 { get; set; } = 0.9;

    /// <summary>AdamW β2. <value>The default value is 0.999 (MAE uses 0.95 for pre-training).</value></summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "OptimizationOptions.Beta2 must lie in [0, 1); AdamW uses 0.999, MAE pre-training 0.95.")]
    public double Beta2 { get; set; } = 0.999;

    /// <summary>Training epochs. <value>The default value is 20.</value></summary>
    [Range(1, 1_000_000, ErrorMessage = "OptimizationOptions.Epochs must be at least 1.")]
    public int Epochs { get; set; } = 20;

    /// <summary>Epochs of linear warm-up from 0 to <see cref="LearningRate"/>. <value>The default value is 1.</value></summary>
    [Range(0.0, 1_000_000.0, ErrorMessage = "OptimizationOptions.WarmupEpochs must be ≥ 0 (and at most Epochs); the paper warms up for 1 epoch.")]
    public double WarmupEpochs { get; set; } = 1;

    /// <summary>Samples (frames or windows) a batch. <value>The default value is 32.</value></summary>
    [Range(1, 1_000_000, ErrorMessage = "OptimizationOptions.BatchSize must be at least 1.")]
    public int BatchSize { get; set; } = 32;

    /// <summary>Largest global gradient norm before a step, or 0 for no clipping. <value>The default value is 0.</value></summary>
    [Range(0.0, double.MaxValue, ErrorMessage = "OptimizationOptions.GradientClipNorm must be ≥ 0; 0 turns clipping off.")]
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
}

/// <summary>Checks <see cref="OptimizationOptions"/>: the DataAnnotations ranges, then the rules that join fields; each message says what to change.</summary>
public sealed class OptimizationOptionsValidator : IValidateOptions<OptimizationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OptimizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        if (options.MinLearningRate > options.LearningRate)
            failures.Add($"OptimizationOptions.MinLearningRate ({options.MinLearningRate}) exceeds LearningRate ({options.LearningRate}): lower MinLearningRate.");
        if (options.WarmupEpochs > options.Epochs)
            failures.Add($"OptimizationOptions.WarmupEpochs ({options.WarmupEpochs}) exceeds Epochs ({options.Epochs}): lower WarmupEpochs or raise Epochs.");
        return OptionsValidation.ToResult(failures);
    }
}
