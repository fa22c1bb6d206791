// Options every pipeline verb shares: where the data and the run are, the recipe, the seed, the device and the
// inference precision; and the way a verb runs: on a worker thread so that Ctrl+C reaches it, with the failures a user
// can act on as messages.
using System.CommandLine;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Runtime;
using Spectre.Console;
using static TorchSharp.torch;

namespace AffectMae.Cli.Commands;

/// <summary>What a pipeline verb works with, resolved from the command line.</summary>
/// <param name="Pipeline">The stages of the recipe in the run folder, on the device.</param>
/// <param name="DataRoot">The ABAW-layout data folder.</param>
/// <param name="Precision">The precision given with <c>--precision</c> (already in the pipeline's recipe), or null.</param>
internal sealed record VerbContext(AffectMaePipeline Pipeline, string DataRoot, InferencePrecision? Precision);

/// <summary>The data folder, run folder, recipe, seed, device and precision options, and turning them into a pipeline.</summary>
internal sealed class CommonOptions
{
    /// <summary>An ABAW-layout folder (generated when empty, for <c>demo</c>).</summary>
    public Option<DirectoryInfo> Data { get; } = new("--data", "-d") { Description = "ABAW-layout data folder (cropped_aligned + annotation folders).", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("affectmae-demo", "data")) };

    /// <summary>Where checkpoints, features, model bundles, plots and predictions go.</summary>
    public Option<DirectoryInfo> Work { get; } = new("--work", "-w") { Description = "Run folder for checkpoints, features, model bundles, plots and predictions.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("affectmae-demo", "work")) };

    /// <summary>A preset name or a recipe JSON file.</summary>
    public Option<string> Recipe { get; } = new("--recipe", "-r") { Description = $"The settings of the run: a preset ({string.Join(", ", AffectMaeRecipe.PresetNames)}) or a recipe JSON file.", DefaultValueFactory = _ => "demo" };

    /// <summary>The seed of every stage, replacing the recipe's.</summary>
    public Option<int?> Seed { get; } = new("--seed") { Description = "Seed of every stage (default: the recipe's); the same seed gives the same numbers." };

    /// <summary>cpu or cuda.</summary>
    public Option<string> Device { get; } = new("--device") { Description = "cpu, or cuda (needs the TorchSharp CUDA backend).", DefaultValueFactory = _ => "cpu" };

    /// <summary>The inference precision, replacing the recipe's (and, for <c>predict</c>, the temporal bundle's).</summary>
    public Option<string?> Precision { get; } = CreatePrecisionOption();

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { Data, Work, Recipe, Seed, Device, Precision }) command.Options.Add(option);
    }

    /// <summary>The precision given with <c>--precision</c>, or null when none was.</summary>
    public InferencePrecision? ParsePrecision(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(Precision) is { } name ? PrecisionChoice.Parse(name) : null;
    }

    private static Option<string?> CreatePrecisionOption()
    {
        var option = new Option<string?>("--precision")
        {
            Description = "Inference precision of feature extraction and prediction: float32, bfloat16, float16 (CUDA only), or auto "
                + "(bfloat16 on CPUs with AVX512_BF16 or AMX and on GPUs that support it, float32 elsewhere). Default: the recipe's (predict: the temporal model's).",
        };
        option.AcceptOnlyFromAmong([.. Enum.GetValues<InferencePrecision>().Select(PrecisionChoice.NameOf)]);
        return option;
    }

    /// <summary>The recipe named on the command line: a preset, or a JSON file; with <c>--seed</c> applied.</summary>
    /// <exception cref="ArgumentException">No preset has that name and no file exists there.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid recipe; the message names the setting.</exception>
    public AffectMaeRecipe ResolveRecipe(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string name = parse.GetValue(Recipe)!;
        var recipe = AffectMaeRecipe.PresetNames.Contains(name.ToLowerInvariant()) ? AffectMaeRecipe.Preset(name)
            : File.Exists(name) || name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? AffectMaeRecipe.Load(name)
            : throw new ArgumentException($"--recipe {name}: use a preset ({string.Join(", ", AffectMaeRecipe.PresetNames)}) or a recipe JSON file.");
        if (ParsePrecision(parse) is { } precision)
        {
            recipe.Inference.Precision = precision;                  // extraction, and prediction with our model
            recipe.AuthorsTemporal.Inference.Precision = precision;  // prediction with the authors'
        }
        return parse.GetValue(Seed) is { } seed ? recipe.WithSeed(seed) : recipe;
    }

    /// <summary>The device named on the command line.</summary>
    /// <exception cref="ArgumentException">The name is unknown or CUDA is not available; the message says what to do.</exception>
    public static Device ParseDevice(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" => throw new ArgumentException("--device cuda: no CUDA device is available (reference TorchSharp-cuda-windows or -cuda-linux and check the driver)."),
        _ => throw new ArgumentException($"--device {name}: use cpu or cuda."),
    };

    /// <summary>The pipeline for a parsed command line.</summary>
    public VerbContext Resolve(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var device = ParseDevice(parse.GetValue(Device)!);
        var pipeline = new AffectMaePipeline(ResolveRecipe(parse), new RunFolder(parse.GetValue(Work)!.FullName), device);
        return new VerbContext(pipeline, parse.GetValue(Data)!.FullName, ParsePrecision(parse));
    }

    /// <summary>
    /// Gives a verb its action: the body runs on a worker thread, so Ctrl+C cancels its token while it runs; a
    /// cancelled training stage saves its checkpoint first. Failures a user can act on become messages and exit codes:
    /// a bad argument (1), a missing or damaged file or folder, or a run made with another recipe (3), a cancellation (130).
    /// </summary>
    /// <param name="command">The verb.</param>
    /// <param name="console">Where messages go.</param>
    /// <param name="body">The verb's work.</param>
    /// <param name="resumable">Whether running the verb again goes on where a cancelled run stopped (training and
    /// extraction), which the cancellation message then says; otherwise it says to start over.</param>
    public static void SetAction(Command command, IAnsiConsole console, Action<ParseResult, CancellationToken> body, bool resumable = true)
    {
        ArgumentNullException.ThrowIfNull(body);
        SetAction(command, console, (parse, cancellationToken) =>
        {
            body(parse, cancellationToken);
            return ExitCodes.Success;
        }, resumable);
    }

    /// <summary>As <see cref="SetAction(Command, IAnsiConsole, Action{ParseResult, CancellationToken}, bool)"/>, for a body that chooses its exit code.</summary>
    public static void SetAction(Command command, IAnsiConsole console, Func<ParseResult, CancellationToken, int> body, bool resumable = true)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction((parse, cancellationToken) => Task.Run(() => Guard(console, () => body(parse, cancellationToken), resumable), CancellationToken.None));
    }

    /// <summary>Runs a verb body, turning the failures a user can act on into messages and exit codes.</summary>
    public static int Guard(IAnsiConsole console, Func<int> run, bool resumable = true)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            return run();
        }
        catch (OperationCanceledException)
        {
            console.MarkupLine(resumable ? "[yellow]Cancelled;[/] run again to resume (checkpoints are kept)." : "[yellow]Cancelled;[/] the output is not complete; run again to start over.");
            return ExitCodes.Cancelled;
        }
        catch (ArgumentException e)
        {
            console.MarkupLine($"[red]Error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.UsageError;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException or InvalidOperationException)
        {
            console.MarkupLine($"[red]Error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.Failure;
        }
    }
}
