// Tiny encoder and temporal bundles with seeded random weights, and frame images, for the pipeline tests; and, for
// the protocol tests, an MAE encoder giving 24-d features, the authors' tiny models of the parity fixtures
// (make_authors_fixtures.py §1, 24-d features) and ours at the same width.
using AffectMae.Core.Data;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Mae;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Temporal;
using AffectMae.Models.Tests.Fixtures;
using SkiaSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Pipeline;

internal static class TinyModels
{
    /// <summary>The tiny encoder (32×32 frames, 64-wide features) and a 16-wide temporal model over windows of 12, stride 4.</summary>
    public static (string Encoder, string Temporal) SaveBundles(string folder, int seed = 1)
    {
        manual_seed(seed);
        using var classifier = new MaeClassifier(MaeClassifierOptions.Tiny);
        string encoder = Path.Combine(folder, "encoder");
        var manifest = EncoderBundle.Save(encoder, classifier, new NormalizationOptions(), "tiny");
        using var temporal = new AffectSequenceModel(SequenceModel());
        string temporalFolder = Path.Combine(folder, "temporal");
        TemporalBundle.Save(temporalFolder, temporal, Segmentation(), "tiny", manifest.WeightsSha256);
        return (encoder, temporalFolder);
    }

    public static SegmentationOptions Segmentation() => new() { WindowLength = 12, Stride = 4 };

    public static AffectSequenceModelOptions SequenceModel() => new()
    {
        InputDim = 64,
        Tcn = new TemporalConvNetOptions { InputDim = 64, Channels = [16, 16], KernelSize = 3, Dropout = 0.1 },
        Transformer = new SegmentTransformerOptions { DModel = 16, NumHeads = 4, NumLayers = 1, FeedForwardDim = 32, Dropout = 0.1, MaxLength = 12 },
        Heads = new TaskHeadsOptions { InputDim = 16, HiddenDim = 8, Dropout = 0.1 },
    };

    /// <summary>A 32×32 PNG that changes smoothly with <paramref name="k"/>, so neighbouring frames look alike.</summary>
    public static string WriteFrame(string path, int k)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = Frame(k);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    /// <summary>The bitmap <see cref="WriteFrame"/> writes (Rgba8888, unpremultiplied).</summary>
    public static SKBitmap Frame(int k)
    {
        var bitmap = new SKBitmap(new SKImageInfo(32, 32, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)((x * 7 + k * 3) % 256), (byte)((y * 5 + k) % 256), (byte)((x + y + k * 11) % 256)));
        return bitmap;
    }

    public const int Width = 24;

    /// <summary>Saves an untrained one-block MAE on 32×32 frames giving 24-d features as an encoder bundle.</summary>
    public static string SaveEncoder(string folder)
    {
        manual_seed(1);
        using var mae = new MaeViT(new MaeViTOptions { ImageSize = 32, PatchSize = 16, EmbedDim = Width, Depth = 1, NumHeads = 4, DecoderEmbedDim = 16, DecoderDepth = 1, DecoderNumHeads = 2 });
        EncoderBundle.Save(folder, mae, new NormalizationOptions(), "tiny");
        return folder;
    }

    /// <summary>The authors' tiny model of <paramref name="task"/> with the fixture's weights (running statistics included), in eval mode.</summary>
    public static AuthorsTemporalModel Authors(AffectTask task)
    {
        var model = new AuthorsTemporalModel(AuthorsTemporalModelOptions.Tiny(task));
        AuthorsCheckpoint.Load(model, Fixture.File($"authors_tiny_{PerTaskTemporalModel.KeyOf(task)}.pt"));
        model.eval();
        return model;
    }

    /// <summary>The authors' tiny models of <paramref name="tasks"/>, joined.</summary>
    public static PerTaskTemporalModel AuthorsJoined(AffectTask tasks = AffectTask.All) => new(AffectTasks.Split(tasks).Select(Authors));

    /// <summary>Ours at the fixtures' tiny sizes, reading 24-d features, with seeded random weights, in eval mode.</summary>
    public static AffectSequenceModel Ours(int seed)
    {
        var options = AffectSequenceModelOptions.Tiny16D24;
        options.InputDim = options.Tcn.InputDim = Width;
        manual_seed(seed);
        var model = new AffectSequenceModel(options);
        model.eval();
        return model;
    }

    /// <summary>frames × 24 features uniform in [−3, 3], so that some unclipped valence/arousal outputs leave [−1, 1].</summary>
    public static float[] Features(int frames, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, frames * Width).Select(_ => (float)(3 * (random.NextDouble() * 2 - 1)))];
    }
}
