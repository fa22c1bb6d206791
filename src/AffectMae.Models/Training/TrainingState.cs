namespace AffectMae.Models.Training;

/// <summary>Where a training run stands: the epoch in progress, the batches done in it, and the best validation so far.</summary>
/// <param name="Epoch">0-based epoch in progress (equal to the epoch count when training is finished).</param>
/// <param name="StepInEpoch">Optimiser steps already taken in <paramref name="Epoch"/>; a resumed run skips that many batches.</param>
/// <param name="GlobalStep">Optimiser steps taken since the start; drives the learning-rate schedule.</param>
/// <param name="BestScore">Best validation score seen (higher is better), or null.</param>
/// <param name="BestEpoch">0-based epoch of <paramref name="BestScore"/>, or null.</param>
public sealed record TrainingState(int Epoch, int StepInEpoch, long GlobalStep, double? BestScore = null, int? BestEpoch = null)
{
    /// <summary>The state before the first step.</summary>
    public static TrainingState Start { get; } = new(0, 0, 0);
}
