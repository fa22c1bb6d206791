// Seeds for the per-video and per-frame System.Random streams. SplitMix64 mixes (seed, a, b) so that neighbouring
// indices give unrelated streams; new Random(int) then gives the same sequence on every platform and .NET version.
namespace AffectMae.Cli.Synthetic;

/// <summary>Derives independent, reproducible 31-bit seeds from a global seed and stream indices (SplitMix64).</summary>
internal static class SeedMix
{
    /// <summary>Stream index of the train/validation assignment (no video has this index).</summary>
    public const int SplitStream = -1;

    /// <summary>A non-negative seed that depends on every input; equal inputs give equal seeds on every run.</summary>
    /// <param name="seed">The global seed.</param>
    /// <param name="a">First stream index, e.g. the video index.</param>
    /// <param name="b">Second stream index, e.g. the frame number (0 for the video's own stream).</param>
    /// <returns>A seed for <see cref="Random(int)"/>.</returns>
    public static int Mix(int seed, int a, int b = 0)
    {
        ulong state = Step((uint)seed);
        state = Step(state ^ ((ulong)(uint)a << 32));
        state = Step(state ^ (uint)b);
        return (int)(state >> 33);
    }

    private static ulong Step(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
