using System.Text.Json;
using AffectMae.Models.Data;
using AffectMae.Models.Features;
using AffectMae.Models.Tests.Data;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Features;

// Extractors sharing a cache claim each video before extracting it (<video>.claim). Processes on other machines are
// stood in for by claim files written here in the documented format; tests/AffectMae.Cli.Tests runs real processes.
public sealed class FeatureClaimTests : IDisposable
{
    private static readonly FeatureProvenance StandIn = new("stand-in-encoder", new ImageTransform(1));
    private static readonly FeatureExtractionOptions QuickPoll = new() { ClaimPollInterval = TimeSpan.FromMilliseconds(10) };

    private readonly string folder = Directory.CreateTempSubdirectory("affectmae-claims-").FullName;
    private readonly TestImages images = new();
    private readonly ListLogger log = new();
    private readonly FeatureCache cache;
    private readonly VideoFrames[] videos;

    public FeatureClaimTests()
    {
        cache = new FeatureCache(folder);
        videos = [.. new[] { "a", "b", "c" }.Select(v => new VideoFrames(v, [NumberEncoder.Frame(images, v, 1), NumberEncoder.Frame(images, v, 2)]))];
    }

    public void Dispose()
    {
        Directory.Delete(folder, recursive: true);
        images.Dispose();
    }

    private FeatureExtractor Extractor(IFrameFeatureExtractor encoder, FeatureExtractionOptions? options = null) =>
        new(new FrameEncoder(encoder, new ImageTransform(1), batchSize: 2, decodeWorkers: 0), cache, StandIn, options ?? QuickPoll, log);

    private IEnumerable<string> Claims() => Directory.EnumerateFiles(folder, "*.claim*");

    // A claim of another machine: what a process elsewhere writes (see VideoClaim), its heartbeat `age` old.
    private string ForeignClaim(string video, TimeSpan age)
    {
        string path = cache.ClaimPathFor(video);
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            Id = "0123", Pid = 4242, Host = "gpu-node-7", Machine = "gpu-node-7|another-boot|pid:[1]", ProcessStart = DateTime.UtcNow.AddHours(-2), Claimed = DateTime.UtcNow.AddHours(-1),
        }));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    [Fact]
    public async Task A_video_another_extractor_is_working_on_is_left_to_it_and_waited_for()
    {
        // X holds b's claim while its encoder is stopped; Y extracts a and c, then waits for b until X is done.
        var gate = new GateEncoder();
        var x = Task.Run(() => Extractor(gate).Run([videos[1]], Shard.All));
        gate.Entered.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue();
        var yEncoder = new NumberEncoder();

        var y = Task.Run(() => Extractor(yEncoder).Run(videos, Shard.All));
        SpinWait.SpinUntil(() => cache.Contains("a") && cache.Contains("c"), TimeSpan.FromSeconds(30)).Should().BeTrue();
        await Task.WhenAny(y, Task.Delay(200));
        y.IsCompleted.Should().BeFalse("b is still claimed by X");
        gate.Open.Set();

        var summary = await y;
        (await x).Extracted.Should().Be(1);
        (summary.Extracted, summary.Skipped, summary.ExtractedElsewhere).Should().Be((2, 0, 1));
        yEncoder.Calls.Should().Be(2, "a and c, one batch each; never b");
        cache.LoadArray("b", StandIn, out _, out _).Should().Equal(1, 10, 2, 20);
        Claims().Should().BeEmpty();
        log.Lines.Select(l => l.Message).Should().Contain(m => m.StartsWith($"b: being extracted by process {Environment.ProcessId} on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_claim_from_another_machine_with_a_recent_heartbeat_is_waited_for()
    {
        string claim = ForeignClaim("b", TimeSpan.FromMinutes(3));
        var encoder = new NumberEncoder();
        using var stop = new CancellationTokenSource();

        var run = Task.Run(() => Extractor(encoder).Run(videos, Shard.All, cancellationToken: stop.Token));
        SpinWait.SpinUntil(() => cache.Contains("a") && cache.Contains("c"), TimeSpan.FromSeconds(30)).Should().BeTrue();
        await Task.WhenAny(run, Task.Delay(200));
        run.IsCompleted.Should().BeFalse("a heartbeat 3 minutes old is within the 10 allowed");
        stop.Cancel();

        await FluentActions.Awaiting(() => run).Should().ThrowAsync<OperationCanceledException>();
        cache.Contains("b").Should().BeFalse();
        encoder.Calls.Should().Be(2);
        File.Exists(claim).Should().BeTrue("a live claim is not touched");
    }

    [Fact]
    public void A_claim_from_another_machine_whose_heartbeat_stopped_is_taken_over_with_a_warning()
    {
        ForeignClaim("b", TimeSpan.FromMinutes(11));

        var summary = Extractor(new NumberEncoder()).Run(videos, Shard.All);

        summary.Extracted.Should().Be(3);
        log.Warnings.Should().ContainSingle().Which.Should().MatchRegex(
            "^b: took over the stale claim of process 4242 on \"gpu-node-7\" \\(claimed .*\\): from another machine, its heartbeat 11 min old \\(stale after 10 min\\)$");
        Claims().Should().BeEmpty();
    }

    [Fact]
    public void The_stale_age_is_an_option()
    {
        ForeignClaim("b", TimeSpan.FromMinutes(3));

        var summary = Extractor(new NumberEncoder(), new FeatureExtractionOptions { StaleClaimAge = TimeSpan.FromMinutes(2) }).Run(videos, Shard.All);

        summary.Extracted.Should().Be(3);
    }

    [Fact]
    public void An_unreadable_claim_is_waited_for_while_recent_and_taken_over_once_old()
    {
        // A claimant that died between creating the file and writing it leaves it empty.
        string claim = cache.ClaimPathFor("b");
        File.WriteAllBytes(claim, []);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        FluentActions.Invoking(() => Extractor(new NumberEncoder()).Run([videos[1]], Shard.All, cancellationToken: stop.Token)).Should().Throw<OperationCanceledException>();
        cache.Contains("b").Should().BeFalse();

        File.SetLastWriteTimeUtc(claim, DateTime.UtcNow.AddMinutes(-11));
        Extractor(new NumberEncoder()).Run([videos[1]], Shard.All).Extracted.Should().Be(1);

        log.Warnings.Should().ContainSingle().Which.Should().Contain("b: took over the stale claim of an unreadable claim");
    }

    [Fact]
    public void A_failed_or_cancelled_extraction_leaves_no_claim_behind()
    {
        var bad = new VideoFrames("bad", [images.Corrupt("bad/1.png")]);
        using var stop = new CancellationTokenSource();
        var cancelling = new CancellingEncoder(stop);

        FluentActions.Invoking(() => Extractor(new NumberEncoder()).Run([bad], Shard.All)).Should().Throw<InvalidDataException>();
        FluentActions.Invoking(() => Extractor(cancelling).Run([videos[0] with { FramePaths = [.. videos[0].FramePaths, .. videos[0].FramePaths] }], Shard.All, cancellationToken: stop.Token))
            .Should().Throw<OperationCanceledException>();

        Claims().Should().BeEmpty();
        cache.Contains("a").Should().BeFalse();
    }

    // Holds its first call until Open is set, after signalling Entered.
    private sealed class GateEncoder : IFrameFeatureExtractor
    {
        private readonly NumberEncoder inner = new();

        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Open { get; } = new();

        public int FeatureDim => 2;

        public Tensor ExtractFeatures(Tensor pixels)
        {
            Entered.Set();
            Open.Wait(TimeSpan.FromSeconds(60));
            return inner.ExtractFeatures(pixels);
        }
    }

    // Cancels the run during its first batch; the extractor stops before the second.
    private sealed class CancellingEncoder(CancellationTokenSource stop) : IFrameFeatureExtractor
    {
        private readonly NumberEncoder inner = new();

        public int FeatureDim => 2;

        public Tensor ExtractFeatures(Tensor pixels)
        {
            stop.Cancel();
            return inner.ExtractFeatures(pixels);
        }
    }
}
