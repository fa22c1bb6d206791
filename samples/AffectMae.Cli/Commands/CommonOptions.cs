// Options every pipeline verb shares: where the data and the outputs are, the seed, and the device.
using System.CommandLine;
using AffectMae.Cli.Pipeline;
using Spectre.Console;
using static TorchSharp.torch;

namespace AffectMae.Cli.Commands;

/// <summary>The data folder, work folder, seed and device options, and turning them into pipeline objects.</summary>
public sealed class CommonOptions
{
    /// <summary>An ABAW-layout folder (generated when empty, for <c>demo</c>).</summary>
    public Option<DirectoryInfo> Data { get; } = new("--data", "-d") { Description = "ABAW-layout data folder (cropped_aligned + annotation folders).", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("affectmae-demo", "data")) };

    /// <summary>Where weights, features, checkpoints, plots and predictions go.</summary>
    public Option<DirectoryInfo> Work { get; } = new("--work", "-w") { Description = "Working folder for weights, features, checkpoints, plots and predictions.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("affectmae-demo", "work")) };

    /// <summary>The seed of every stage.</summary>
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of every stage; the same seed gives the same numbers.", DefaultValueFactory = _ => 0 };

    /// <summary>cpu or cuda.</summary>
    public Option<string> Device { get; } = new("--device") { Description = "cpu, or cuda (needs the TorchSharp CUDA backend).", DefaultValueFactory = _ => "cpu" };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Data);
        command.Options.Add(Work);
        command.Options.Add(Seed);
        command.Options.Add(Device);
    }

    /// <summary>The device named on the command line, or an error message.</summary>
    public static (Device? Device, string? Error) ParseDevice(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => (CPU, null),
        "cuda" when cuda.is_available() => (CUDA, null),
        "cuda" => (null, "--device cuda: no CUDA device is available (reference TorchSharp-cuda-windows or -cuda-linux and check the driver)."),
        _ => (null, $"--device {name}: use cpu or cuda."),
    };

    /// <summary>
    /// Runs a pipeline verb, turning the failures a user can act on into messages and exit codes: a missing folder or
    /// file (3), a corrupt checkpoint or data file (3), a cancellation (130).
    /// </summary>
    public static int Guard(IAnsiConsole console, Func<int> run)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            return run();
        }
        catch (OperationCanceledException)
        {
            console.MarkupLine("[yellow]Cancelled.[/] Checkpoints are kept; run the same command again to resume.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
        {
            console.MarkupLine($"[red]Error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>The pipeline objects for a parsed command line, or an exit code when the device is not usable.</summary>
    public (PipelineSettings Settings, Workspace Workspace, string DataRoot, Device? Device)? Resolve(ParseResult parse, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(console);
        var (device, error) = ParseDevice(parse.GetValue(Device)!);
        if (error is not null)
        {
            console.MarkupLine($"[red]Error:[/] {Markup.Escape(error)}");
            return null;
        }
        return (PipelineSettings.Demo(parse.GetValue(Seed)), new Workspace(parse.GetValue(Work)!.FullName), parse.GetValue(Data)!.FullName, device);
    }
}
