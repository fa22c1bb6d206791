// The learning-rate schedule of the authors' released training (upczww/abaw6 solver.py; no licence: facts only, our
// own code): a linear warm-up (their WarmUpLR) stepped every iteration, then PyTorch's CosineAnnealingWarmRestarts
// (torch/optim/lr_scheduler.py, BSD-3-Clause) stepped every iteration with a fractional epoch. Reproduced to the
// lr PyTorch sets, including the order in which their loop steps the schedulers.
using AffectMae.Core.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Training;

/// <summary>
/// Warm-up over W whole epochs, then cosine annealing with warm restarts, as the authors' <c>solver.py</c> drives it.
/// With N steps an epoch, the rate of global step k (0-based) of a group with initial rate η is
/// <list type="bullet">
/// <item>k ≤ N·W: η_start + η · k / (N·W + 10⁻⁸) — their warm-up, which ends a hair above η + η_start;</item>
/// <item>k &gt; N·W: CosineAnnealingWarmRestarts(T₀, T_mult, η_min) at epoch e = (k − 1 − N·W) / N — their loop steps
/// the cosine after each optimiser step with the epoch of the step just taken (t − W + i/N), so step k uses the
/// value set after step k − 1.</item>
/// </list>
/// Cosine at epoch e: while e &lt; T₀, T_cur = e and T_i = T₀; after it, with n = ⌊log_{T_mult}(e/T₀·(T_mult − 1) + 1)⌋,
/// T_cur = e − T₀·(T_multⁿ − 1)/(T_mult − 1) and T_i = T₀·T_multⁿ; rate = η_min + (η − η_min)·(1 + cos(π·T_cur/T_i))/2.
/// The authors use T₀ = epochs − W + 1, T_mult = 2, η_min = η_start = 10⁻⁸, so no restart falls inside training.
/// </summary>
public sealed class WarmRestartsSchedule : ILearningRateSchedule
{
    private readonly double warmupStart;
    private readonly double minimum;
    private readonly long warmupSteps;

    /// <summary>Creates the schedule from <paramref name="options"/> (their presets: <see cref="OptimizationOptions.AuthorsTemporal"/>).</summary>
    /// <param name="options">Epochs, whole warm-up epochs W, <see cref="OptimizationOptions.WarmupStartLearningRate"/> (η_start) and <see cref="OptimizationOptions.MinLearningRate"/> (η_min).</param>
    /// <param name="stepsPerEpoch">Optimiser steps an epoch, N.</param>
    /// <param name="firstPeriodEpochs">T₀ in epochs; <see langword="null"/> for the authors' epochs − W + 1.</param>
    /// <param name="periodMultiplier">T_mult, the growth of each period after a restart (an integer ≥ 1, as in PyTorch).</param>
    /// <exception cref="ArgumentException">The options are invalid, or W is not a whole number.</exception>
    public WarmRestartsSchedule(OptimizationOptions options, int stepsPerEpoch, double? firstPeriodEpochs = null, int periodMultiplier = 2)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = OptionsValidation.ValidatedCopy(new OptimizationOptionsValidator(), options, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepsPerEpoch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(periodMultiplier);
        if (options.WarmupEpochs != Math.Floor(options.WarmupEpochs))
            throw new ArgumentException($"WarmupEpochs is {options.WarmupEpochs}; this schedule warms up over whole epochs (the authors use 2).", nameof(options));
        FirstPeriodEpochs = firstPeriodEpochs ?? options.Epochs - options.WarmupEpochs + 1;
        if (!(FirstPeriodEpochs > 0))
            throw new ArgumentOutOfRangeException(nameof(firstPeriodEpochs), FirstPeriodEpochs, "The first period T₀ must be positive.");
        StepsPerEpoch = stepsPerEpoch;
        PeriodMultiplier = periodMultiplier;
        warmupStart = options.WarmupStartLearningRate;
        minimum = options.MinLearningRate;
        warmupSteps = (long)options.WarmupEpochs * stepsPerEpoch;
        Peak = options.LearningRate;
    }

    /// <inheritdoc />
    public int StepsPerEpoch { get; }

    /// <summary>T₀, the first cosine period in epochs.</summary>
    public double FirstPeriodEpochs { get; }

    /// <summary>T_mult, the growth of each period after a restart.</summary>
    public int PeriodMultiplier { get; }

    /// <summary>The options' peak rate η.</summary>
    public double Peak { get; }

    /// <summary>Sets every parameter group's rate for global step <paramref name="step"/> from the group's initial rate.</summary>
    public void Apply(optim.Optimizer optimizer, long step) => ILearningRateSchedule.ApplyToGroups(this, optimizer, step);

    /// <summary>The rate at global step <paramref name="step"/> for the options' peak rate.</summary>
    /// <param name="step">Optimiser steps taken before this one.</param>
    public double LearningRate(long step) => LearningRate(Peak, step);

    /// <inheritdoc />
    public double LearningRate(double peak, long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step <= warmupSteps)
            return warmupStart + peak * step / (warmupSteps + 1e-8);                   // their WarmUpLR after `step` steps
        return CosineAt(peak, (step - 1 - warmupSteps) / (double)StepsPerEpoch);       // set after the previous step
    }

    /// <summary>CosineAnnealingWarmRestarts' rate at (fractional) epoch <paramref name="epoch"/> counted from the end of the warm-up.</summary>
    /// <param name="peak">The group's initial rate η.</param>
    /// <param name="epoch">Epochs since the cosine started, ≥ 0.</param>
    public double CosineAt(double peak, double epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        double t0 = FirstPeriodEpochs, current = epoch, period = t0;
        if (epoch >= t0)
        {
            if (PeriodMultiplier == 1)
                current = epoch % t0;
            else
            {
                int n = (int)(Math.Log(epoch / t0 * (PeriodMultiplier - 1) + 1) / Math.Log(PeriodMultiplier));
                current = epoch - t0 * (Math.Pow(PeriodMultiplier, n) - 1) / (PeriodMultiplier - 1);
                period = t0 * Math.Pow(PeriodMultiplier, n);
            }
        }
        return minimum + (peak - minimum) * (1 + Math.Cos(Math.PI * current / period)) / 2;
    }
}
