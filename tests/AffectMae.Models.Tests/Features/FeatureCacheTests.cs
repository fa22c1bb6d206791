using AffectMae.Models.Data;
using AffectMae.Models.Features;
using AffectMae.Models.Tests.Data;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Features;

// A cache entry is reused only when it records the encoder and settings asked for and reads back whole.
public sealed class FeatureCacheTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("affectmae-cache-").FullName;
    private readonly TestImages images = new();
    private readonly NumberEncoder encoder = new();
    private readonly ListLogger log = new();
    private readonly FeatureCache cache;
    private readonly VideoFrames video;

    public FeatureCacheTests()
    {
        cache = new FeatureCache(folder);
        video = new VideoFrames("v", [NumberEncoder.Frame(images, "v", 1), NumberEncoder.Frame(images, "v", 2), NumberEncoder.Frame(images, "v", 3)]);
    }

    public void Dispose()
    {
        Directory.Delete(folder, recursive: true);
        images.Dispose();
    }

    private static readonly ImageNormalization Identity = new([0, 0, 0], [1, 1, 1]);

    private static FeatureProvenance Made(string sha = "encoder-a", ImageTransform? transform = null) => new(sha, transform ?? new ImageTransform(1));

    private ExtractionSummary Extract(FeatureProvenance provenance, ImageTransform? transform = null, VideoFrames? frames = null)
    {
        var loop = new FrameEncoder(encoder, transform ?? new ImageTransform(1), batchSize: 2, decodeWorkers: 0);
        return new FeatureExtractor(loop, cache, provenance, logger: log).Run([frames ?? video], Shard.All);
    }

    [Fact]
    public void An_entry_records_the_encoder_the_transform_the_precision_and_the_frame_count()
    {
        Extract(Made("abc123", new ImageTransform(1, normalization: Identity)), new ImageTransform(1, normalization: Identity));

        var tensors = AffectMae.Models.IO.SafeTensors.Load(cache.PathFor("v"), out var metadata);
        foreach (var t in tensors.Values) t.Dispose();
        metadata.Should().Contain(new Dictionary<string, string>
        {
            ["encoder_sha256"] = "abc123", ["image_size"] = "1", ["resize"] = "bicubic", ["normalization_mean"] = "0,0,0",
            ["normalization_std"] = "1,1,1", ["precision"] = "float32", ["frames"] = "3",
        });
    }

    [Fact]
    public void An_entry_made_in_float32_is_stale_for_a_bfloat16_encoder_and_is_extracted_again()
    {
        Extract(Made());
        var bfloat16 = new FeatureProvenance("encoder-a", new ImageTransform(1), "bfloat16");

        var check = cache.Check("v", bfloat16, 3);
        var again = Extract(bfloat16);

        check.State.Should().Be(FeatureEntryState.Stale);
        check.Problem.Should().Contain("precision \"float32\", now \"bfloat16\"");
        (again.Extracted, again.Skipped).Should().Be((1, 0));
        cache.Check("v", bfloat16, 3).State.Should().Be(FeatureEntryState.Current);
    }

    [Fact]
    public void A_current_entry_is_skipped_without_encoding()
    {
        Extract(Made());
        encoder.Calls = 0;

        var again = Extract(Made());

        (again.Extracted, again.Skipped).Should().Be((0, 1));
        again.Recomputed.Should().BeEmpty();
        encoder.Calls.Should().Be(0);
        cache.Check("v", Made(), 3).Should().Be(new FeatureEntryCheck(FeatureEntryState.Current, null));
    }

    [Fact]
    public void A_truncated_entry_is_damaged_and_extracted_again_with_a_warning()
    {
        Extract(Made());
        string path = cache.PathFor("v");
        var whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..(whole.Length - 5)]);
        cache.Check("v", Made(), 3).State.Should().Be(FeatureEntryState.Damaged);

        var again = Extract(Made());

        again.Extracted.Should().Be(1);
        again.Recomputed.Should().ContainSingle().Which.Should().Match<RecomputedEntry>(r => r.Video == "v" && r.State == FeatureEntryState.Damaged && r.Reason.StartsWith(path));
        log.Warnings.Should().ContainSingle().Which.Should().StartWith($"v: the cached features are damaged ({path}:");
        File.ReadAllBytes(path).Should().Equal(whole);
    }

    [Fact]
    public void Features_of_another_encoder_are_stale_and_extracted_again_naming_both()
    {
        Extract(Made("encoder-a"));

        var again = Extract(Made("encoder-b"));

        again.Recomputed.Should().ContainSingle().Which.Reason.Should().Be("encoder_sha256 \"encoder-a\", now \"encoder-b\"");
        log.Warnings.Should().ContainSingle().Which.Should().Be("v: the cached features are stale (encoder_sha256 \"encoder-a\", now \"encoder-b\"); extracting them again");
        cache.Check("v", Made("encoder-b"), 3).State.Should().Be(FeatureEntryState.Current);
    }

    [Fact]
    public void Features_made_with_other_settings_are_stale_even_when_the_numbers_agree()
    {
        // The identity normalisation leaves the pixels as they are, but the entry must say what made it.
        Extract(Made());
        var normalized = new ImageTransform(1, normalization: Identity);

        var again = Extract(Made(transform: normalized), normalized);

        again.Recomputed.Should().ContainSingle().Which.Reason.Should().Be("normalization_mean \"none\", now \"0,0,0\"; normalization_std \"none\", now \"1,1,1\"");
    }

    [Fact]
    public void An_entry_for_another_frame_count_is_stale()
    {
        Extract(Made());
        var longer = video with { FramePaths = [.. video.FramePaths, NumberEncoder.Frame(images, "v", 4)] };

        var again = Extract(Made(), frames: longer);

        again.Recomputed.Should().ContainSingle().Which.Reason.Should().Be("it has 3 frames, the video's annotations 4");
        cache.LoadArray("v", Made(), out int frames, out _).Should().Equal(1, 10, 2, 20, 3, 30, 4, 40);
        frames.Should().Be(4);
    }

    [Fact]
    public void An_entry_that_records_nothing_of_what_made_it_is_stale()
    {
        using (var features = tensor(new float[] { 1, 10, 2, 20, 3, 30 }).reshape(3, 2)) cache.Save("v", features);

        cache.Check("v", Made(), 3).Should().Be(new FeatureEntryCheck(FeatureEntryState.Stale, "it records nothing of what made it (written before AffectMae recorded the encoder and settings)"));
    }

    [Fact]
    public void An_entry_with_a_non_finite_value_is_damaged()
    {
        using (var features = tensor(new float[] { 1, 10, float.NaN, 20, 3, 30 }).reshape(3, 2)) cache.Save("v", features, Made());

        cache.Check("v", Made(), 3).Should().Be(new FeatureEntryCheck(FeatureEntryState.Damaged, $"{cache.PathFor("v")} holds a non-finite value at frame 1"));
    }

    [Fact]
    public void Training_refuses_to_read_features_of_another_encoder_and_says_to_extract_again()
    {
        Extract(Made("encoder-a"));

        var load = () => cache.LoadArray("v", Made("encoder-b"), out _, out _);

        load.Should().Throw<InvalidDataException>().WithMessage(
            $"{cache.PathFor("v")}: the cached features of 'v' were not made by this encoder and its settings: encoder_sha256 \"encoder-a\", now \"encoder-b\". Run the extraction again*");
    }

    [Fact]
    public void A_provenance_that_does_not_describe_the_encoders_transform_is_refused()
    {
        var create = () => new FeatureExtractor(encoder.Loop(), cache, Made(transform: new ImageTransform(2)));

        create.Should().Throw<ArgumentException>().WithMessage("*image_size \"1\", now \"2\"*").Which.ParamName.Should().Be("provenance");
    }
}
