// A run folder of the tiny recipe over a small generated data set, with an encoder bundle made in the test (an
// untrained, seeded classifier: the stages that read it need its features, not good ones) and the recipe as a JSON
// file, so that child processes of the CLI (--recipe <file>) and the library share one run.
using AffectMae.Cli.Synthetic;
using AffectMae.Models.Features;
using AffectMae.Models.Mae;
using AffectMae.Models.Pipeline;
using static TorchSharp.torch;

namespace AffectMae.Cli.Tests;

internal sealed class TinyRun : IDisposable
{
    private readonly TempFolder folder = new();

    public TinyRun(int videos = 6, int minFrames = 24, int maxFrames = 40, int seed = 5, Action<AffectMaeRecipe>? adjust = null)
    {
        Data = folder.Sub("data");
        SyntheticDataset.Generate(Data, new SyntheticOptions { Videos = videos, MinFrames = minFrames, MaxFrames = maxFrames, Size = 32, Seed = seed });
        Recipe = TinyRecipe.Create(seed);
        adjust?.Invoke(Recipe);
        RecipeFile = folder.Sub("tiny.json");
        Recipe.Save(RecipeFile);
        Run = new RunFolder(folder.Sub("work"));
        Pipeline = new AffectMaePipeline(Recipe, Run, CPU);
        Run.UseRecipe(Recipe);
        manual_seed(seed);
        using var encoder = new MaeClassifier(Recipe.ClassifierOptions(), CPU);
        EncoderBundle.Save(Run.EncoderModel(EncoderKind.FineTuned), encoder, Recipe.Normalization, Recipe.Name);
    }

    public string Data { get; }

    public AffectMaeRecipe Recipe { get; }

    public string RecipeFile { get; }

    public RunFolder Run { get; }

    public AffectMaePipeline Pipeline { get; }

    public AbawDataset Dataset => new(Data);

    public string Sub(string name) => folder.Sub(name);

    /// <summary>The options every pipeline verb takes to work on this run.</summary>
    public string[] Common => ["--data", Data, "--work", Run.Root, "--recipe", RecipeFile];

    /// <summary>Extracts the fine-tuned encoder's features of every video, in this process.</summary>
    public ExtractionSummary Extract() => Pipeline.Extract(Dataset, EncoderKind.FineTuned, Shard.All);

    /// <summary>Every file under <paramref name="path"/> (relative name → bytes).</summary>
    public static Dictionary<string, byte[]> Snapshot(string path) =>
        Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(path, f), File.ReadAllBytes);

    public void Dispose() => folder.Dispose();
}
