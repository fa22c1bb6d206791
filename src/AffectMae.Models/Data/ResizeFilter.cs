using SkiaSharp;

namespace AffectMae.Models.Data;

/// <summary>The interpolation used to resize a frame (or a crop of it) to the model's input side.</summary>
/// <remarks>
/// Skia samples the kernel at each destination pixel centre with clamped edges, like PIL. It does not widen the kernel
/// when shrinking, as PIL's antialiased resize does, so the two agree (up to 8-bit rounding) when enlarging, which is
/// the usual case here (Aff-Wild2's 112-pixel aligned faces go to 224), but shrinking by more than about 2× aliases.
/// </remarks>
public enum ResizeFilter
{
    /// <summary>
    /// Bicubic: Catmull–Rom (Mitchell–Netravali B = 0, C = ½), the cubic-convolution kernel with a = −½ that PIL and
    /// PyTorch call bicubic, used by MAE and timm for both augmentation and evaluation.
    /// </summary>
    Bicubic,

    /// <summary>Bilinear (triangle kernel, no mipmaps).</summary>
    Bilinear,
}

/// <summary>Maps <see cref="ResizeFilter"/> to Skia's sampling options.</summary>
internal static class ResizeFilterSampling
{
    public static SKSamplingOptions ToSampling(this ResizeFilter filter) => filter switch
    {
        ResizeFilter.Bicubic => new SKSamplingOptions(SKCubicResampler.CatmullRom),
        ResizeFilter.Bilinear => new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None),
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Use Bicubic or Bilinear."),
    };
}
