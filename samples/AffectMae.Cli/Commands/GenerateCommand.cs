// `generate`: writes the synthetic Aff-Wild2-style data set (Synthetic/README.md) with a progress bar, then a summary
// of the split and the label counts. Refuses a non-empty output folder unless --force (exit code 2).
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AffectMae.Cli.Synthetic;
using AffectMae.Metrics;
using Spectre.Console;

namespace AffectMae.Cli.Commands;

/// <summary>The <c>generate</c> verb.</summary>
internal static class GenerateCommand
{
    /// <summary>Creates the verb.</summary>
    /// <param name="console">Where progress and results are written.</param>
    /// <returns>The command.</returns>
    public static Command Create(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var defaults = new SyntheticOptions();
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Folder to write the data set to (created if missing).", Required = true };
        var videos = new Option<int>("--videos") { Description = "Number of videos.", DefaultValueFactory = _ => defaults.Videos };
        var minFrames = new Option<int>("--min-frames") { Description = "Fewest frames of a video.", DefaultValueFactory = _ => defaults.MinFrames };
        var maxFrames = new Option<int>("--max-frames") { Description = "Most frames of a video.", DefaultValueFactory = _ => defaults.MaxFrames };
        var size = new Option<int>("--size") { Description = "Frame width and height in pixels.", DefaultValueFactory = _ => defaults.Size };
        var seed = new Option<int>("--seed") { Description = "Seed; the same seed gives byte-identical output.", DefaultValueFactory = _ => defaults.Seed };
        var quality = new Option<int>("--jpeg-quality") { Description = "JPEG quality of the frames.", DefaultValueFactory = _ => defaults.JpegQuality };
        var threads = new Option<int>("--threads") { Description = "Videos rendered in parallel (the output does not depend on it).", DefaultValueFactory = _ => defaults.MaxDegreeOfParallelism };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty folder, replacing its annotation and cropped_aligned folders." };

        var command = new Command("generate", "Write a deterministic synthetic Aff-Wild2-style data set (cropped_aligned frames and VA/EXPR/AU annotations).")
        {
            output, videos, minFrames, maxFrames, size, seed, quality, threads, force,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new SyntheticOptions
            {
                Videos = parse.GetValue(videos),
                MinFrames = parse.GetValue(minFrames),
                MaxFrames = parse.GetValue(maxFrames),
                Size = parse.GetValue(size),
                Seed = parse.GetValue(seed),
                JpegQuality = parse.GetValue(quality),
                MaxDegreeOfParallelism = parse.GetValue(threads),
            };
            return Task.FromResult(Run(console, parse.GetValue(output)!.FullName, options, parse.GetValue(force), cancellationToken));
        });
        return command;
    }

    /// <summary>Checks the options and the output folder, generates, and reports.</summary>
    /// <param name="console">Where progress and results are written.</param>
    /// <param name="output">The output folder.</param>
    /// <param name="options">The generator options.</param>
    /// <param name="force">Whether a non-empty folder may be written into.</param>
    /// <param name="cancellationToken">Cancels the generation.</param>
    /// <returns>The exit code, see <see cref="ExitCodes"/>.</returns>
    public static int Run(IAnsiConsole console, string output, SyntheticOptions options, bool force, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            foreach (string error in errors) console.MarkupLine($"[red]Error:[/] {Markup.Escape(error)}");
            return ExitCodes.UsageError;
        }
        if (File.Exists(output))
        {
            console.MarkupLine($"[red]Error:[/] '{Markup.Escape(output)}' is a file. Pass a folder to --output.");
            return ExitCodes.OutputInUse;
        }
        if (!force && !SyntheticDataset.IsEmptyOrMissing(output))
        {
            console.MarkupLine($"[red]Error:[/] output folder '{Markup.Escape(output)}' is not empty.");
            console.MarkupLine("Choose a new or empty folder, or pass [bold]--force[/] to replace its "
                + Markup.Escape(string.Join(", ", SyntheticDataset.OwnedFolderNames)) + " folders (other files are kept).");
            return ExitCodes.OutputInUse;
        }

        var clock = Stopwatch.StartNew();
        SyntheticSummary summary;
        try
        {
            summary = console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(context =>
                {
                    var task = context.AddTask("Rendering frames", maxValue: 1);
                    var result = SyntheticDataset.Generate(output, options, overwrite: force, new TaskProgress(task), cancellationToken);
                    task.Value = task.MaxValue;
                    return result;
                });
        }
        catch (OperationCanceledException)
        {
            console.MarkupLine("[yellow]Cancelled;[/] the output folder holds a partial data set.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.MarkupLine($"[red]Error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.Failure;
        }
        clock.Stop();
        WriteSummary(console, summary, options, clock.Elapsed);
        return ExitCodes.Success;
    }

    private static void WriteSummary(IAnsiConsole console, SyntheticSummary summary, SyntheticOptions options, TimeSpan elapsed)
    {
        var labels = summary.Labels;
        var table = new Table().Title("Label counts (labelled frames)").AddColumn("label").AddColumn(new TableColumn("frames").RightAligned()).AddColumn(new TableColumn("share").RightAligned());
        for (int c = 0; c < AffectLabels.ExpressionClassCount; c++)
            table.AddRow(AffectLabels.ExpressionNames[c], Count(labels.ExpressionCounts[c]), Share(labels.ExpressionCounts[c], labels.LabelledExpressionFrames));
        table.AddEmptyRow();
        for (int j = 0; j < AffectLabels.ActionUnitCount; j++)
            table.AddRow(AffectLabels.ActionUnitNames[j], Count(labels.ActionUnitCounts[j]), Share(labels.ActionUnitCounts[j], labels.LabelledActionUnitFrames));
        console.Write(table);
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {summary.Videos.Count} videos ({labels.TrainVideos} train, {labels.ValidationVideos} validation), {labels.TotalFrames} frames at {options.Size}×{options.Size}, "
            + $"{summary.ImagesWritten} images ({labels.MissingImages} left out on purpose), seed {options.Seed}, in {elapsed.TotalSeconds:F1} s."));
        console.MarkupLine($"Data set: [bold]{Markup.Escape(summary.Root)}[/]");
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Share(long value, long total)
        => total == 0 ? "-" : (100.0 * value / total).ToString("F1", CultureInfo.InvariantCulture) + " %";

    /// <summary>Moves a Spectre progress task forward from any thread; reports can arrive out of order.</summary>
    private sealed class TaskProgress(ProgressTask task) : IProgress<SyntheticProgress>
    {
        private readonly Lock gate = new();

        public void Report(SyntheticProgress value)
        {
            lock (gate)
            {
                task.MaxValue = value.TotalFrames;
                task.Value = Math.Max(task.Value, value.FramesDone);
                task.Description = $"Rendering frames, {value.VideosDone}/{value.TotalVideos} videos";
            }
        }
    }
}
