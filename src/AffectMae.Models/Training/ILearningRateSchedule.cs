using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Training;

/// <summary>
/// A learning rate for every optimiser step, set by the <see cref="Trainer"/> before each step:
/// <see cref="CosineSchedule"/> (ours, the default) or <see cref="WarmRestartsSchedule"/> (the authors' released recipe).
/// Build the one the options ask for with <see cref="OptimizationOptions.CreateSchedule"/>, or pass your own to the trainer.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>Optimiser steps an epoch.</summary>
    int StepsPerEpoch { get; }

    /// <summary>The learning rate at global step <paramref name="step"/> (0-based) of a parameter group whose peak rate is <paramref name="peak"/>.</summary>
    /// <param name="peak">The group's initial (peak) rate.</param>
    /// <param name="step">Optimiser steps taken before this one.</param>
    /// <returns>The rate for this step.</returns>
    double LearningRate(double peak, long step);

    /// <summary>Sets every parameter group's rate for global step <paramref name="step"/> from the group's initial rate.</summary>
    /// <param name="optimizer">The optimiser.</param>
    /// <param name="step">Optimiser steps taken before this one.</param>
    void Apply(optim.Optimizer optimizer, long step);

    /// <summary>The usual <see cref="Apply"/>: each group's rate from <see cref="LearningRate"/> of its initial rate.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="optimizer">The optimiser.</param>
    /// <param name="step">Optimiser steps taken before this one.</param>
    protected static void ApplyToGroups(ILearningRateSchedule schedule, optim.Optimizer optimizer, long step)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(optimizer);
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = schedule.LearningRate(group.InitialLearningRate, step);
    }
}
