namespace AffectMae.Models.Data;

/// <summary>Derives independent, reproducible <see cref="Random"/> seeds from (seed, epoch, stream) with SplitMix64.</summary>
internal static class SeedMixer
{
    /// <summary>A 31-bit seed that depends on every input; equal inputs give equal seeds on every platform and run.</summary>
    public static int Mix(int seed, int epoch, int stream)
    {
        ulong state = (uint)seed;
        state = Step(state ^ ((ulong)(uint)epoch << 32));
        state = Step(state ^ (uint)stream);
        return (int)(Step(state) >> 33);
    }

    private static ulong Step(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
