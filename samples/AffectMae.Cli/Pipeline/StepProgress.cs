namespace AffectMae.Cli.Pipeline;

/// <summary>How far a pipeline step is: <paramref name="Done"/> of <paramref name="Total"/> units, with a status line.</summary>
public readonly record struct StepProgress(double Done, double Total, string Status);

/// <summary>A stage's result line for the summary table.</summary>
/// <param name="Stage">Stage name.</param>
/// <param name="Metric">What was measured (e.g. P_EXPR on validation frames).</param>
/// <param name="Value">Our figure.</param>
/// <param name="Baseline">The trivial predictor's figure.</param>
/// <param name="BaselineName">What the trivial predictor is.</param>
public sealed record StageResult(string Stage, string Metric, double Value, double Baseline, string BaselineName);

/// <summary>Turns a trainer's per-step reports into <see cref="StepProgress"/> and keeps the loss curve for the plots.</summary>
public sealed class TrainingReporter(int totalSteps) : IProgress<AffectMae.Models.Training.TrainingProgress>
{
    /// <summary>Steps the run will take (for the progress bar).</summary>
    public int TotalSteps { get; } = totalSteps;

    /// <summary>Where progress goes (a progress bar), or null.</summary>
    public IProgress<StepProgress>? Sink { get; set; }

    /// <summary>The loss of every step, in order.</summary>
    public List<double> Losses { get; } = [];

    /// <inheritdoc />
    public void Report(AffectMae.Models.Training.TrainingProgress value)
    {
        Losses.Add(value.Loss);
        Sink?.Report(new StepProgress(value.GlobalStep, TotalSteps, $"epoch {value.Epoch + 1}, loss {value.Loss:F4}"));
    }
}

/// <summary>An <see cref="IProgress{T}"/> that calls its handler on the reporting thread, in order (unlike <see cref="Progress{T}"/>).</summary>
public sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => handler(value);
}
