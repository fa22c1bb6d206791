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

    private readonly ListLogger log = new();

    private static readonly FeatureProvenance StandIn = new("stand-in-encoder", new ImageTransform(1));

    private FeatureExtractor Extractor(FeatureCache cache, FeatureExtractionOptions? options = null) =>
        new(encoder.Loop(), cache, StandIn, options, log);

    [Fact]
    public void Frames_without_an_image_take_the_feature_of_the_nearest_earlier_frame_or_the_first_later_one()
    {
        // Frames 0 … 5 with images at 2, 3 and 5: frames 0, 1 → frame 2's feature (no earlier image); 4 → frame 3's.
        var cache = new FeatureCache(folder);
        var video = new VideoFrames("v", [null, null, Frame("v", 2), Frame("v", 3), null, Frame("v", 5)]);

        var summary = Extractor(cache).Run([video], Shard.All);

        (summary.Extracted, summary.Skipped, summary.FramesEncoded, summary.MissingFrames).Should().Be((1, 0, 3, 3));
        cache.LoadArray("v", out int frames, out int dimension).Should().Equal(2, 20, 2, 20, 2, 20, 3, 30, 3, 30, 5, 50);
        (frames, dimension).Should().Be((6, 2));
        encoder.Calls.Should().Be(2, "3 frames in batches of 2");
        summary.Filled.Should().Equal(new FilledVideo("v", 3, 6));
        log.Warnings.Should().ContainSingle().Which.Should().Be("v: 3 of 6 annotated frames (3 without an image, 0 that cannot be decoded) take the features of the nearest frame with one");
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

        (second.Extracted, second.Skipped, second.FramesEncoded, second.MissingFrames).Should().Be((2, 1, 4, 0));
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
    public void The_cache_folder_is_created_when_needed()
    {
        var cache = new FeatureCache(Path.Combine(folder, "new", "features"));

        Extractor(cache).Run([new VideoFrames("a", [Frame("a", 1)])], Shard.All);

        cache.LoadArray("a", StandIn, out _, out _).Should().Equal(1, 10);
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

    [Fact]
    public void A_video_with_one_image_for_forty_frames_is_refused_naming_it_and_the_count()
    {
        var video = new VideoFrames("sparse", [Frame("sparse", 7), .. Enumerable.Repeat<string?>(null, 39)]);

        var run = () => Extractor(new FeatureCache(folder)).Run([video], Shard.All);

        run.Should().Throw<InvalidDataException>().WithMessage(
            "Video 'sparse' has 39 of its 40 annotated frames without an image (97.5 %), more than FeatureExtractionOptions.MaxFilledFraction = 0.5 allows*--max-filled*");
        encoder.Calls.Should().Be(0, "refused before encoding");
        new FeatureCache(folder).Contains("sparse").Should().BeFalse();
    }

    [Fact]
    public void With_the_limit_raised_the_video_is_filled_and_reported_with_its_count()
    {
        var video = new VideoFrames("sparse", [Frame("sparse", 7), .. Enumerable.Repeat<string?>(null, 39)]);
        var cache = new FeatureCache(folder);

        var summary = Extractor(cache, new FeatureExtractionOptions { MaxFilledFraction = 1 }).Run([video], Shard.All);

        summary.Filled.Should().Equal(new FilledVideo("sparse", 39, 40));
        summary.Filled[0].Fraction.Should().Be(0.975);
        cache.LoadArray("sparse", out _, out _).Should().Equal(Enumerable.Repeat(new float[] { 7, 70 }, 40).SelectMany(f => f));
        log.Warnings.Should().ContainSingle().Which.Should().StartWith("sparse: 39 of 40 annotated frames");
    }

    [Fact]
    public void At_the_limit_a_video_passes_and_just_above_it_is_refused()
    {
        // 2 of 4 frames missing is exactly 0.5, allowed; 3 of 5 is 0.6.
        var half = new VideoFrames("half", [Frame("half", 1), null, Frame("half", 3), null]);
        var over = new VideoFrames("over", [Frame("over", 1), null, Frame("over", 3), null, null]);

        Extractor(new FeatureCache(folder)).Run([half], Shard.All).Filled.Should().Equal(new FilledVideo("half", 2, 4));
        FluentActions.Invoking(() => Extractor(new FeatureCache(folder)).Run([over], Shard.All))
            .Should().Throw<InvalidDataException>().WithMessage("Video 'over' has 3 of its 5 annotated frames*(60 %)*");
    }

    [Fact]
    public void A_bad_frame_fails_the_extraction_naming_the_file_by_default()
    {
        string bad = images.Corrupt("v/2.png");
        var video = new VideoFrames("v", [Frame("v", 1), bad, Frame("v", 3)]);

        var run = () => Extractor(new FeatureCache(folder)).Run([video], Shard.All);

        run.Should().Throw<InvalidDataException>().WithMessage($"Cannot decode image '{bad}'*--bad-frames skip*");
        new FeatureCache(folder).Contains("v").Should().BeFalse();
    }

    [Fact]
    public void A_skipped_bad_frame_is_filled_like_a_missing_one_and_reported()
    {
        // Frame 1 (0-based) cannot be decoded: it takes frame 0's feature, as a frame without an image would.
        string bad = images.Corrupt("v/2.png");
        var video = new VideoFrames("v", [Frame("v", 1), bad, Frame("v", 3), null]);
        var cache = new FeatureCache(folder);

        var summary = Extractor(cache, new FeatureExtractionOptions { BadFrames = BadFramePolicy.Skip }).Run([video], Shard.All);

        cache.LoadArray("v", out _, out _).Should().Equal(1, 10, 1, 10, 3, 30, 3, 30);
        (summary.FramesEncoded, summary.MissingFrames).Should().Be((2, 2));
        summary.BadFrames.Should().ContainSingle().Which.Should().Match<BadFrame>(b => b.Index == 1 && b.Path == bad && b.Reason.StartsWith("Cannot decode image"));
        summary.Filled.Should().Equal(new FilledVideo("v", 2, 4));
        log.Warnings.Should().ContainSingle().Which.Should().Be("v: 2 of 4 annotated frames (1 without an image, 1 that cannot be decoded) take the features of the nearest frame with one");
        SafeTensorsMetadata(cache.PathFor("v")).Should().Contain(new KeyValuePair<string, string>("bad_frames", "1"))
            .And.Contain(new KeyValuePair<string, string>("missing_frames", "3"));
    }

    [Fact]
    public void Skipped_bad_frames_count_towards_the_filled_limit()
    {
        // 1 missing + 2 bad of 5 frames = 0.6 > 0.5: refused after decoding, when the bad frames are known.
        var video = new VideoFrames("v", [Frame("v", 1), images.Corrupt("v/2.png"), images.Corrupt("v/3.png"), null, Frame("v", 5)]);

        var run = () => Extractor(new FeatureCache(folder), new FeatureExtractionOptions { BadFrames = BadFramePolicy.Skip }).Run([video], Shard.All);

        run.Should().Throw<InvalidDataException>().WithMessage("Video 'v' has 3 of its 5 annotated frames without an image or with one that cannot be decoded (2)*");
    }

    [Fact]
    public void Non_finite_features_are_refused_naming_the_video_and_frame_and_nothing_is_cached()
    {
        var nan = new FrameEncoder(new NaNAtGrey(3), new ImageTransform(1), batchSize: 2, decodeWorkers: 0);
        var video = new VideoFrames("v", [Frame("v", 1), Frame("v", 2), Frame("v", 3)]);
        var cache = new FeatureCache(folder);

        var run = () => new FeatureExtractor(nan, cache, StandIn).Run([video], Shard.All);

        run.Should().Throw<InvalidOperationException>().WithMessage($"The encoder gave a non-finite feature for frame 3 of video 'v' ({Path.Combine(images.Folder, "v", "3.png")})*");
        cache.Contains("v").Should().BeFalse();
    }

    private static IReadOnlyDictionary<string, string> SafeTensorsMetadata(string path)
    {
        var tensors = AffectMae.Models.IO.SafeTensors.Load(path, out var metadata);
        foreach (var tensor in tensors.Values) tensor.Dispose();
        return metadata;
    }

    // Gives NaN for the frame of grey level k, (k, 10·k) for the others.
    private sealed class NaNAtGrey(int k) : IFrameFeatureExtractor
    {
        private readonly NumberEncoder inner = new();

        public int FeatureDim => 2;

        public Tensor ExtractFeatures(Tensor pixels)
        {
            var features = inner.ExtractFeatures(pixels);
            return features.where(features.ne(k), float.NaN);
        }
    }

    private sealed class SynchronousProgress(Action<ExtractionProgress> report) : IProgress<ExtractionProgress>
    {
        public void Report(ExtractionProgress value) => report(value);
    }
}
