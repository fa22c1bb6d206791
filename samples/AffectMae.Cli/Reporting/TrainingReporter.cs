using AffectMae.Models.Training;

namespace AffectMae.Cli.Reporting;

/// <summary>How far a step is: <paramref name="Done"/> of <paramref name="Total"/> units, with a status line.</summary>
internal readonly record struct StepProgress(double Done, double Total, string Status);

/// <summary>Turns a stage's per-step reports into progress-bar updates and keeps the loss curve for the plots.</summary>
internal sealed class TrainingReporter : IProgress<TrainingProgress>
{
    /// <summary>Where progress goes (a progress bar), or null.</summary>
    public IProgress<StepProgress>? Sink { get; set; }

    /// <summary>The loss of every step taken by this process, in order.</summary>
    public List<double> Losses { get; } = [];

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        Losses.Add(value.Loss);
        Sink?.Report(new StepProgress(value.GlobalStep, value.TotalSteps, $"epoch {value.Epoch + 1}/{value.Epochs}, loss {value.Loss:F4}"));
    }
}
