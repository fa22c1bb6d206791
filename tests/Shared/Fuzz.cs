namespace AffectMae.Testing;

/// <summary>What one fuzz case came to: the file loaded or was rejected, and what was wrong with that, if anything.</summary>
/// <param name="Loaded">Whether the reader returned a value (rather than throwing).</param>
/// <param name="Problem">Null when the outcome is the one the reference reading expects; else what differs.</param>
internal readonly record struct FuzzOutcome(bool Loaded, string? Problem);

/// <summary>Seeded mutation fuzzing of file readers: the loop, the mutations and the checks every fuzz test shares.</summary>
internal static class Fuzz
{
    /// <summary>
    /// Writes <paramref name="cases"/> mutations of the seeds to <paramref name="path"/> and checks each with
    /// <paramref name="check"/>, under a time limit, so a hang fails too. Fails with the case number and the bytes on
    /// the first wrong outcome, and when the mutations never load or never get rejected (a fuzz that tests nothing).
    /// </summary>
    public static void Run(byte[][] seeds, byte[] interesting, int randomSeed, int cases, string path, Func<byte[], FuzzOutcome> check)
    {
        var random = new Random(randomSeed);
        int loads = 0, rejections = 0;
        var error = TimeLimit.Run(TimeSpan.FromSeconds(60), () =>
        {
            for (int i = 0; i < cases; i++)
            {
                byte[] bytes = Mutate(seeds[random.Next(seeds.Length)], random, interesting);
                File.WriteAllBytes(path, bytes);
                var outcome = check(bytes);
                if (outcome.Loaded) loads++;
                else rejections++;
                if (outcome.Problem is not null)
                    Assert.Fail($"case {i}: {outcome.Problem}; bytes {Convert.ToHexString(bytes)}");
            }
        });
        if (error is not null) throw error;
        new[] { loads, rejections }.Should().OnlyContain(n => n > cases / 100, $"mutations must produce both loads and rejections ({loads} loads, {rejections} rejections)");
    }

    /// <summary>
    /// One or two mutations of a copy of <paramref name="seed"/>: a bit flip, a truncation, inserted bytes, a run
    /// duplicated elsewhere, a deleted run, or a byte replaced. Inserted and replacing bytes are mostly drawn from
    /// <paramref name="interesting"/>, the bytes the format gives meaning to.
    /// </summary>
    public static byte[] Mutate(byte[] seed, Random random, byte[] interesting)
    {
        var bytes = new List<byte>(seed);
        for (int m = 1 + random.Next(2); m > 0; m--)
        {
            int at = random.Next(bytes.Count + 1);
            int last = Math.Max(0, Math.Min(at, bytes.Count - 1));
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:                                   // flip one bit
                    bytes[last] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:                                                        // truncate
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2:                                                        // insert bytes
                    for (int k = 1 + random.Next(4); k > 0; k--)
                        bytes.Insert(at, random.Next(4) == 0 ? (byte)random.Next(256) : interesting[random.Next(interesting.Length)]);
                    break;
                case 3 when bytes.Count > 0:                                   // duplicate a run (up to a few lines) elsewhere
                    int start = random.Next(bytes.Count);
                    bytes.InsertRange(at, bytes.GetRange(start, 1 + random.Next(Math.Min(80, bytes.Count - start))));
                    break;
                case 4 when bytes.Count > 0:                                   // delete a run
                    bytes.RemoveRange(last, 1 + random.Next(Math.Min(8, bytes.Count - last)));
                    break;
                case 5 when bytes.Count > 0:                                   // replace a byte
                    bytes[last] = interesting[random.Next(interesting.Length)];
                    break;
            }
        }
        return [.. bytes];
    }
}
