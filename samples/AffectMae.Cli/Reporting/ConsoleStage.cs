using Spectre.Console;

namespace AffectMae.Cli.Reporting;

/// <summary>Runs a pipeline step under a Spectre.Console progress bar with elapsed time and ETA.</summary>
internal static class ConsoleStage
{
    /// <summary>Runs a training step whose reporter feeds the bar (its length comes with the first report).</summary>
    public static T Run<T>(IAnsiConsole console, string title, TrainingReporter reporter, Func<T> run) =>
        Run(console, title, 1, progress =>
        {
            reporter.Sink = progress;
            return run();
        });

    /// <summary>Runs a step that reports <see cref="StepProgress"/>.</summary>
    public static T Run<T>(IAnsiConsole console, string title, int total, Func<IProgress<StepProgress>, T> run)
    {
        return console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: Math.Max(1, total));
                var gate = new Lock();   // the synthetic-data generator reports from several threads
                var value = run(new AffectMae.Models.Runtime.SyncProgress<StepProgress>(p =>
                {
                    lock (gate)
                    {
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = Math.Max(task.Value, Math.Min(p.Done, task.MaxValue));
                        task.Description = Markup.Escape($"{title}: {p.Status}");
                    }
                }));
                task.Description = Markup.Escape(title);
                task.Value = task.MaxValue;
                return value;
            });
    }
}
