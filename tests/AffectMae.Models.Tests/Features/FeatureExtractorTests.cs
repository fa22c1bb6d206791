using AffectMae.Models.Data;
using AffectMae.Models.Features;
using AffectMae.Models.Tests.Data;
using SkiaSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Features;

public sealed class FeatureExtractorTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("affectmae-features-").FullName;
    private readonly TestImages images = new();
    private readonly NumberEncoder encoder = new();

    public void Dispose()
    {
        Directory.Delete(folder, recursive: true);
        images.Dispose();
    }

    private string Frame(string video, int k) => NumberEncoder.Frame(images, video, k);

    private FeatureExtractor Extractor(FeatureCache cache) =>
        new(encoder.Loop(), cache);

    [Fact]
    public void Frames_without_an_image_take_the_feature_of_the_nearest_earlier_frame_or_the_first_later_one()
    {
        // Frames 0 … 5 with images at 2, 3 and 5: frames 0, 1 → frame 2's feature (no earlier image); 4 → frame 3's.
        var cache = new FeatureCache(folder);
        var video = new VideoFrames("v", [null, null, Frame("v", 2), Frame("v", 3), null, Frame("v", 5)]);

        var summary = Extractor(cache).Run([video], Shard.All);

        summary.Should().Be(new ExtractionSummary(Extracted: 1, Skipped: 0, FramesEncoded: 3, MissingFrames: 3));
        cache.LoadArray("v", out int frames, out int dimension).Should().Equal(2, 20, 2, 20, 2, 20, 3, 30, 3, 30, 5, 50);
        (frames, dimension).Should().Be((6, 2));
        encoder.Calls.Should().Be(2, "3 frames in batches of 2");
    }

    [Fact]
    public void An_interrupted_extraction_resumes_with_the_videos_not_yet_cached()
    {
        var cache = new FeatureCache(folder);
        VideoFrames[] videos = [new("a", [Frame("a", 1), Frame("a", 2)]), new("b", [Frame("b", 1)]), new("c", [Frame("c", 4), Frame("c", 5), Frame("c", 6)])];
        using var stop = new CancellationTokenSource();
        var interruptAfterFirstVideo = new SynchronousProgress(p => { if (p.Video == "a" && p.FramesDone == p.FrameCount) stop.Cancel(); });

        var first = () => Extractor(cache).Run(videos, Shard.All, interruptAfterFirstVideo, stop.Token);
        first.Should().Throw<OperationCanceledException>();
        cache.Contains("a").Should().BeTrue();
        cache.Contains("b").Should().BeFalse();

        encoder.Calls = 0;
        var second = Extractor(cache).Run(videos, Shard.All);

        second.Should().Be(new ExtractionSummary(Extracted: 2, Skipped: 1, FramesEncoded: 4, MissingFrames: 0));
        encoder.Calls.Should().Be(3, "b needs one batch and c (3 frames) two; a is not encoded again");
        cache.LoadArray("c", out _, out _).Should().Equal(4, 40, 5, 50, 6, 60);
    }

    [Fact]
    public void Each_shard_extracts_only_its_own_videos()
    {
        var cache = new FeatureCache(folder);
        VideoFrames[] videos = [new("a", [Frame("a", 1)]), new("b", [Frame("b", 1)]), new("c", [Frame("c", 1)])];

        Extractor(cache).Run(videos, Shard.Parse("1/2"));   // sorted a, b, c → position 1 → b

        new[] { "a", "b", "c" }.Where(cache.Contains).Should().Equal("b");
    }

    [Fact]
    public void A_video_without_any_image_is_an_error_naming_it()
    {
        var run = () => Extractor(new FeatureCache(folder)).Run([new VideoFrames("empty", [null, null])], Shard.All);

        run.Should().Throw<InvalidDataException>().WithMessage("Video 'empty' has 2 annotated frames and no image*");
    }

    [Fact]
    public void Half_precision_storage_rounds_to_eleven_significant_bits()
    {
        // 1 + 2⁻¹¹ is halfway between float16 neighbours 1 and 1 + 2⁻¹⁰ and rounds to even (1); 3.140625 is exact.
        var cache = new FeatureCache(folder, ScalarType.Float16);
        using var features = tensor(new float[] { 1f + 1f / 2048, 3.140625f }).reshape(1, 2);

        cache.Save("h", features);

        cache.LoadArray("h", out _, out _).Should().Equal(1f, 3.140625f);
    }

    [Fact]
    public void A_video_name_that_would_leave_the_cache_folder_is_rejected()
    {
        var path = () => new FeatureCache(folder).PathFor("../escape");

        path.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("video");
    }

    private sealed class SynchronousProgress(Action<ExtractionProgress> report) : IProgress<ExtractionProgress>
    {
        public void Report(ExtractionProgress value) => report(value);
    }
}
