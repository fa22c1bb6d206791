namespace AffectMae.Models.Training;

/// <summary>Where a training run stands: the epoch in progress, the batches done in it, and the best validation so far.</summary>
/// <param name="Epoch">0-based epoch in progress (equal to the epoch count when training is finished).</param>
/// <param name="StepInEpoch">Optimiser steps already taken in <paramref name="Epoch"/>; a resumed run skips that many batches.</param>
/// <param name="GlobalStep">Optimiser steps taken since the start; drives the learning-rate schedule.</param>
/// <param name="BestScore">Best validation score seen (higher is better), or null.</param>
/// <param name="BestEpoch">0-based epoch of <paramref name="BestScore"/>, or null.</param>
/// <param name="History">One record per finished epoch, oldest first (saved with checkpoints, so a resumed run keeps it); null before the first.</param>
public sealed record TrainingState(int Epoch, int StepInEpoch, long GlobalStep, double? BestScore = null, int? BestEpoch = null, IReadOnlyList<EpochRecord>? History = null)
{
    /// <summary>The state before the first step.</summary>
    public static TrainingState Start { get; } = new(0, 0, 0);
}

/// <summary>What one finished epoch measured.</summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="MeanLoss">Mean training loss over the steps taken in this epoch by this process (NaN when none were).</param>
/// <param name="Score">Validation score (higher is better), or null without validation.</param>
/// <param name="Metrics">Named validation figures behind the score (e.g. P_VA, P_EXPR, P_AU), or null.</param>
public sealed record EpochRecord(int Epoch, double MeanLoss, double? Score = null, IReadOnlyDictionary<string, double>? Metrics = null);

/// <summary>A validation result: the score that picks the best checkpoint (higher is better) and, optionally, the named figures behind it.</summary>
/// <param name="Score">The score compared across epochs.</param>
/// <param name="Metrics">Named figures recorded in <see cref="EpochRecord.Metrics"/>, or null.</param>
public sealed record ValidationScores(double Score, IReadOnlyDictionary<string, double>? Metrics = null)
{
    /// <summary>A bare score with no named figures.</summary>
    /// <param name="score">The score.</param>
    public static implicit operator ValidationScores(double score) => new(score);

    /// <summary>A bare score with no named figures.</summary>
    /// <param name="score">The score.</param>
    /// <returns>The result.</returns>
    public static ValidationScores FromDouble(double score) => new(score);
}
