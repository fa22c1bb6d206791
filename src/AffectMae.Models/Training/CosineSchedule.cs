// After facebookresearch/mae util/lr_sched.py (CC BY-NC 4.0): linear warm-up, then a half cosine, per step.
using AffectMae.Core.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Training;

/// <summary>
/// Learning rate as a function of the (fractional) epoch e: start + (lr − start)·e/warm-up during warm-up (start =
/// <see cref="OptimizationOptions.WarmupStartLearningRate"/>, 0 by default), then
/// min + (lr − min)·½·(1 + cos(π·(e − warm-up)/(epochs − warm-up))). Each parameter group keeps its own peak rate
/// (e.g. layer-wise decay), scaled by the same factor.
/// </summary>
public sealed class CosineSchedule : ILearningRateSchedule
{
    private readonly OptimizationOptions options;

    /// <summary>Creates the schedule for <paramref name="stepsPerEpoch"/> optimiser steps an epoch.</summary>
    public CosineSchedule(OptimizationOptions options, int stepsPerEpoch)
    {
        options = OptionsValidation.ValidatedCopy(new OptimizationOptionsValidator(), options, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepsPerEpoch);
        this.options = options;
        StepsPerEpoch = stepsPerEpoch;
    }

    /// <summary>Optimiser steps an epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>The learning rate at global step <paramref name="step"/> (0-based) for a peak rate of <see cref="OptimizationOptions.LearningRate"/>.</summary>
    public double LearningRate(long step) => RateFor(options.LearningRate, step);

    /// <summary>Sets every parameter group's rate for global step <paramref name="step"/>; groups scale with their initial rate.</summary>
    public void Apply(optim.Optimizer optimizer, long step) => ILearningRateSchedule.ApplyToGroups(this, optimizer, step);

    /// <inheritdoc />
    public double LearningRate(double peak, long step) => RateFor(peak, step);

    private double RateFor(double peak, long step)
    {
        double epoch = step / (double)StepsPerEpoch;
        double scale = peak / options.LearningRate;
        double min = options.MinLearningRate * scale;
        if (epoch < options.WarmupEpochs)
        {
            double start = options.WarmupStartLearningRate * scale;
            return start + (peak - start) * epoch / options.WarmupEpochs;
        }
        double progress = Math.Min(1.0, (epoch - options.WarmupEpochs) / (options.Epochs - options.WarmupEpochs));
        return min + (peak - min) * 0.5 * (1.0 + Math.Cos(Math.PI * progress));
    }
}
