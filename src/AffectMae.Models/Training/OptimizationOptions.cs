using AffectMae.Models.Temporal;
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

    /// <summary>Rate of the first warm-up step. <value>The default value is 0 (the authors' recipe: 1e-8).</value></summary>
    public double WarmupStartLearningRate { get; set; }

    /// <summary>The schedule's shape. <value>The default value is <see cref="LearningRateScheduleKind.HalfCosine"/>.</value></summary>
    public LearningRateScheduleKind Schedule { get; set; } = LearningRateScheduleKind.HalfCosine;

    /// <summary>
    /// Whether biases, norm weights and tokens get weight decay too (plain <c>AdamW(model.parameters())</c>, as the
    /// authors' training does); otherwise only matrices do (<see cref="WeightDecayGroups"/>).
    /// <value>The default value is false.</value>
    /// </summary>
    public bool DecayEveryParameter { get; set; }

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
        if (!(options.WarmupStartLearningRate >= 0 && options.WarmupStartLearningRate <= options.LearningRate))
            failures.Add($"WarmupStartLearningRate must be in [0, LearningRate = {options.LearningRate}]; it is {options.WarmupStartLearningRate}.");
        if (!Enum.IsDefined(options.Schedule))
            failures.Add($"Schedule {options.Schedule} is not one of {string.Join(", ", Enum.GetNames<LearningRateScheduleKind>())}.");
        else if (options.Schedule == LearningRateScheduleKind.WarmRestarts && options.WarmupEpochs != Math.Floor(options.WarmupEpochs))
            failures.Add($"WarmupEpochs is {options.WarmupEpochs} but the WarmRestarts schedule warms up over whole epochs: use {Math.Round(options.WarmupEpochs)}.");
        if (!(options.GradientClipNorm >= 0)) failures.Add($"GradientClipNorm must be ≥ 0 (0 turns clipping off); it is {options.GradientClipNorm}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
