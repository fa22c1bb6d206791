// Several machines on one cache folder, as docs/scale-out.md sets them up: three `extract --shard` processes at once,
// two of them over the same videos.
using System.Text.RegularExpressions;
using AffectMae.Models.Features;
using AffectMae.Models.Pipeline;
using static TorchSharp.torch;

namespace AffectMae.Cli.Tests;

public sealed partial class ExtractShardProcessTests
{
    private const int Videos = 9;

    [Fact]
    public async Task Three_processes_on_overlapping_shards_extract_every_video_exactly_once_and_whole()
    {
        using var run = new TinyRun(videos: Videos);
        string[][] shards = [["--shard", "0/2"], ["--shard", "1/2"], ["--shard", "0/1"]];   // the last overlaps both others
        var children = shards.Select(shard => CliProcess.Start(["extract", .. run.Common, .. shard])).ToArray();
        try
        {
            foreach (var child in children)
                (await child.ExitCodeAsync(TimeSpan.FromMinutes(4))).Should().Be(0, child.Output);

            // Each video is extracted by exactly one process; the others find it claimed or cached.
            int[] extracted = [.. children.Select(c => int.Parse(Extracted().Match(c.Output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
            extracted.Sum().Should().Be(Videos, string.Join(" | ", children.Select(c => c.Output)));
        }
        finally
        {
            foreach (var child in children) child.Dispose();
        }

        // Whole: the same run extracted again in this process finds every entry valid, and every entry equals what a
        // single process extracts with the same encoder bundle into a run folder of its own.
        run.Extract().Should().Match<ExtractionSummary>(s => s.Extracted == 0 && s.Skipped == Videos && s.Recomputed.Count == 0);
        var alone = new RunFolder(run.Sub("alone"));
        CopyFolder(run.Run.EncoderModel(EncoderKind.FineTuned), alone.EncoderModel(EncoderKind.FineTuned));
        new AffectMaePipeline(run.Recipe, alone, CPU).Extract(run.Dataset, EncoderKind.FineTuned, Shard.All).Extracted.Should().Be(Videos);
        var shared = new FeatureCache(run.Run.Features(EncoderKind.FineTuned));
        var single = new FeatureCache(alone.Features(EncoderKind.FineTuned));
        foreach (var video in run.Dataset.All.Select(v => v.Video))
        {
            using var scope = NewDisposeScope();
            shared.Load(video).equal(single.Load(video)).all().item<bool>().Should().BeTrue($"{video} is extracted whole, as one process extracts it");
        }
        Directory.EnumerateFiles(shared.Folder, "*.claim").Should().BeEmpty("every claim is released");
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    [GeneratedRegex(@"(\d+) videos extracted")]
    private static partial Regex Extracted();
}
