using AffectMae.Models.Features;
using AffectMae.Models.Tests.Data;

namespace AffectMae.Models.Tests.Features;

public sealed class FrameEncoderTests : IDisposable
{
    private readonly TestImages images = new();
    private readonly NumberEncoder encoder = new();

    public void Dispose() => images.Dispose();

    private string Frame(int k) => NumberEncoder.Frame(images, "v", k);

    /// <summary>The three kinds of bad frame: an empty file, a PNG cut in half, and text under an image's name.</summary>
    private string Bad(string kind, string name)
    {
        string path = Path.Combine(images.Folder, "v", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        switch (kind)
        {
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "truncated":
                var whole = File.ReadAllBytes(images.Gradient($"v/whole-{name}.png", 16, 16));
                File.WriteAllBytes(path, whole[..(whole.Length / 2)]);
                break;
            default:
                File.WriteAllText(path, "not an image");
                break;
        }
        return path;
    }

    [Theory]
    [InlineData("empty", 0)]
    [InlineData("truncated", 0)]
    [InlineData("text", 0)]
    [InlineData("empty", 2)]
    [InlineData("truncated", 2)]
    [InlineData("text", 2)]
    public void A_bad_frame_fails_naming_the_file_and_the_way_to_skip_it(string kind, int decodeWorkers)
    {
        string[] paths = [Frame(1), Frame(2), Bad(kind, "00003.png"), Frame(4)];

        var encode = () => encoder.Loop(batchSize: 2, decodeWorkers).Encode(paths);

        encode.Should().Throw<InvalidDataException>()
            .WithMessage($"Cannot decode image '{paths[2]}': Skia reports *--bad-frames skip*");
    }

    [Fact]
    public void Skipped_frames_are_reported_and_the_others_keep_their_features_and_positions()
    {
        // Batches of 2: [1, empty] [3, truncated] [text, 6]: every batch encodes the one frame that decodes.
        string[] paths = [Frame(1), Bad("empty", "2.png"), Frame(3), Bad("truncated", "4.png"), Bad("text", "5.png"), Frame(6)];
        var done = new List<int>();

        var encoded = encoder.Loop(batchSize: 2).EncodeFrames(paths, BadFramePolicy.Skip, new SynchronousProgress<int>(done.Add));

        encoded.Features.Should().Equal(1, 10, 3, 30, 6, 60);
        encoded.Encoded.Should().Equal(0, 2, 5);
        encoded.BadFrames.Select(b => (b.Index, b.Path)).Should().Equal((1, paths[1]), (3, paths[3]), (4, paths[4]));
        encoded.BadFrames.Should().OnlyContain(b => b.Reason.StartsWith($"Cannot decode image '{b.Path}'", StringComparison.Ordinal));
        encoder.Calls.Should().Be(3);
        done.Should().Equal(2, 4, 6);
    }

    [Fact]
    public void A_batch_whose_frames_all_fail_does_not_reach_the_encoder()
    {
        string[] paths = [Bad("empty", "1.png"), Bad("text", "2.png"), Frame(3)];

        var batches = encoder.Loop(batchSize: 2).MapFrames(paths, images => images.shape[0], BadFramePolicy.Skip).ToList();

        batches.Select(b => b.Frames.Count).Should().Equal(0, 1);
        batches[0].Result.Should().Be(0, "no call, so the default value");
        batches[1].Result.Should().Be(1);
        batches[0].BadFrames.Select(b => b.Index).Should().Equal(0, 1);
        encoder.Calls.Should().Be(0, "onBatch replaced the encoder here");
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
