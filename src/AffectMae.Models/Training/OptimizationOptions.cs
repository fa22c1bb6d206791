using System.ComponentModel.DataAnnotations;
using AffectMae.Core.Data;
using AffectMae.Core.Options;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Training;

/// <summary>The shape of the learning rate over a run; see <see cref="OptimizationOptions.CreateSchedule"/>.</summary>
public enum LearningRateScheduleKind
{
    /// <summary>Linear warm-up, then one half cosine down to the minimum rate (<see cref="CosineSchedule"/>; MAE's and ours).</summary>
    HalfCosine,

    /// <summary>The authors' released recipe: their linear warm-up, then cosine annealing with warm restarts (<see cref="WarmRestartsSchedule"/>).</summary>
    WarmRestarts,
}

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

    /// <summary>Rate of the first warm-up step. <value>The default value is 0 (the authors' recipe: 1e-8).</value></summary>
    [Range(0.0, 1e3, ErrorMessage = "OptimizationOptions.WarmupStartLearningRate must be ≥ 0 (and at most LearningRate); the authors warm up from 1e-8.")]
    public double WarmupStartLearningRate { get; set; }

    /// <summary>The schedule's shape. <value>The default value is <see cref="LearningRateScheduleKind.HalfCosine"/>.</value></summary>
    [EnumDataType(typeof(LearningRateScheduleKind), ErrorMessage = "OptimizationOptions.Schedule must be HalfCosine or WarmRestarts.")]
    public LearningRateScheduleKind Schedule { get; set; } = LearningRateScheduleKind.HalfCosine;

    /// <summary>
    /// Whether biases, norm weights and tokens get weight decay too (plain <c>AdamW(model.parameters())</c>, as the
    /// authors' training does); otherwise only matrices do (<see cref="WeightDecayGroups"/>).
    /// <value>The default value is false.</value>
    /// </summary>
    public bool DecayEveryParameter { get; set; }

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

    /// <summary>
    /// The authors' released temporal training (upczww/abaw6 solver.py and configs): AdamW lr 3e-5, weight decay 1e-5 on
    /// every parameter, batch 32; warm-up from 1e-8 over 2 epochs, then cosine with warm restarts (T₀ = epochs − 1,
    /// T_mult = 2, η_min = 1e-8) stepped every iteration; 40 epochs for valence/arousal, 10 for expressions, 30 for
    /// action units.
    /// </summary>
    /// <param name="task">ValenceArousal, Expression or ActionUnits.</param>
    public static OptimizationOptions AuthorsTemporal(AffectTask task) => new()
    {
        LearningRate = 3e-5, WeightDecay = 1e-5, BatchSize = 32, WarmupEpochs = 2, WarmupStartLearningRate = 1e-8, MinLearningRate = 1e-8,
        Schedule = LearningRateScheduleKind.WarmRestarts, DecayEveryParameter = true,
        Epochs = task switch
        {
            AffectTask.ValenceArousal => 40,
            AffectTask.Expression => 10,
            AffectTask.ActionUnits => 30,
            _ => throw new ArgumentOutOfRangeException(nameof(task), task, "The authors train one model per task: give ValenceArousal, Expression or ActionUnits."),
        },
    };

    /// <summary>The schedule <see cref="Schedule"/> names, for <paramref name="stepsPerEpoch"/> optimiser steps an epoch.</summary>
    /// <param name="stepsPerEpoch">Optimiser steps an epoch.</param>
    /// <returns>A <see cref="CosineSchedule"/> or a <see cref="WarmRestartsSchedule"/>.</returns>
    public ILearningRateSchedule CreateSchedule(int stepsPerEpoch) => Schedule switch
    {
        LearningRateScheduleKind.WarmRestarts => new WarmRestartsSchedule(this, stepsPerEpoch),
        _ => new CosineSchedule(this, stepsPerEpoch),
    };
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
        if (options.WarmupStartLearningRate > options.LearningRate)
            failures.Add($"OptimizationOptions.WarmupStartLearningRate ({options.WarmupStartLearningRate}) exceeds LearningRate ({options.LearningRate}): lower it (the authors start at 1e-8).");
        if (options.Schedule == LearningRateScheduleKind.WarmRestarts && options.WarmupEpochs != Math.Floor(options.WarmupEpochs))
            failures.Add($"OptimizationOptions.WarmupEpochs is {options.WarmupEpochs} but the WarmRestarts schedule warms up over whole epochs: use {Math.Round(options.WarmupEpochs)}.");
        return OptionsValidation.ToResult(failures);
    }
}
