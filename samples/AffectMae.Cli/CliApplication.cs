// The root command of the AffectMae demo. Each verb lives in its own file under Commands/ and is registered here.
using System.CommandLine;
using AffectMae.Cli.Commands;
using Spectre.Console;

namespace AffectMae.Cli;

/// <summary>Builds and runs the command line.</summary>
public static class CliApplication
{
    /// <summary>The root command with every verb.</summary>
    /// <param name="console">Where the verbs write (progress bars, tables, messages).</param>
    /// <returns>The root command.</returns>
    public static RootCommand CreateRootCommand(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = new RootCommand(
            "AffectMae demo: valence/arousal, expression and action-unit recognition from face video (Zhou et al., ABAW 2024).");
        root.Subcommands.Add(GenerateCommand.Create(console));
        root.Subcommands.Add(StageCommands.Pretrain(console));
        root.Subcommands.Add(StageCommands.Finetune(console));
        root.Subcommands.Add(StageCommands.Extract(console));
        root.Subcommands.Add(StageCommands.Train(console));
        root.Subcommands.Add(StageCommands.Evaluate(console));
        root.Subcommands.Add(StageCommands.Predict(console));
        root.Subcommands.Add(VideoCommands.Crop(console));
        root.Subcommands.Add(DemoCommand.Create(console));
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the chosen verb.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="console">Where the verbs write.</param>
    /// <param name="invocation">Where System.CommandLine writes help and parse errors; the process streams when null.</param>
    /// <param name="cancellationToken">Cancels the verb.</param>
    /// <returns>The exit code, see <see cref="ExitCodes"/>.</returns>
    public static Task<int> RunAsync(
        IReadOnlyList<string> args, IAnsiConsole console, InvocationConfiguration? invocation = null, CancellationToken cancellationToken = default)
        => CreateRootCommand(console).Parse(args).InvokeAsync(invocation ?? new InvocationConfiguration { ProcessTerminationTimeout = CancellationGrace }, cancellationToken);

    /// <summary>
    /// How long Ctrl+C (or SIGTERM) waits for a verb to stop: a training stage finishes its step and saves its
    /// checkpoint first, which can take a while on a large model (System.CommandLine's own default is 2 seconds).
    /// </summary>
    public static TimeSpan CancellationGrace { get; } = TimeSpan.FromMinutes(5);
}
