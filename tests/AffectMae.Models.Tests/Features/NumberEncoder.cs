using AffectMae.Models.Features;
using AffectMae.Models.Tests.Data;
using SkiaSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Features;

/// <summary>
/// A stand-in encoder on real image files: <see cref="Frame"/> writes a one-pixel PNG of grey level k, whose feature
/// is (k, 10·k). The 1-pixel transform without normalisation gives k/255, which the encoder scales back.
/// </summary>
internal sealed class NumberEncoder : IFrameFeatureExtractor
{
    public int Calls { get; set; }

    public int FeatureDim => 2;

    public Tensor ExtractFeatures(Tensor pixels)
    {
        Calls++;
        using var grey = (pixels[.., 0, 0, 0] * 255).round().unsqueeze(1);   // [B, 1]
        using var scale = tensor(new float[] { 1, 10 });
        return grey * scale;                                                   // [B, 2]
    }

    /// <summary>The loop around this encoder, on 1-pixel frames without normalisation.</summary>
    public FrameEncoder Loop(int batchSize = 2, int decodeWorkers = 1) => new(this, new AffectMae.Models.Data.ImageTransform(1), batchSize, decodeWorkers: decodeWorkers);

    /// <summary>Writes <c>&lt;video&gt;/&lt;k&gt;.png</c>, one pixel of grey level k.</summary>
    public static string Frame(TestImages images, string video, int k) =>
        images.Write($"{video}/{k}.png", 1, 1, (_, _) => new SKColor((byte)k, (byte)k, (byte)k));
}
