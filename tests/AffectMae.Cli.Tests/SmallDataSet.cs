// One small generated data set shared by the tests of a class: 4 videos (one _left/_right pair) of 40–48 frames at
// 32×32, seed 7. Small enough to write in well under a second.
using AffectMae.Cli.Synthetic;

namespace AffectMae.Cli.Tests;

public sealed class SmallDataSet : IDisposable
{
    private readonly TempFolder folder = new();

    public SmallDataSet()
    {
        Summary = SyntheticDataset.Generate(folder.Sub("seed7"), Options);
    }

    internal static SyntheticOptions Options { get; } = new() { Videos = 4, MinFrames = 40, MaxFrames = 48, Size = 32, Seed = 7 };

    internal SyntheticSummary Summary { get; }

    public string Root => Summary.Root;

    public string NewFolder(string name) => folder.Sub(name);

    public void Dispose() => folder.Dispose();
}
