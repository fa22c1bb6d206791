// Follows the transforms of facebookresearch/mae main_pretrain.py and main_finetune.py (CC BY-NC 4.0) and torchvision's
// transforms.py (BSD-3-Clause): RandomResizedCrop → RandomHorizontalFlip → ToTensor → Normalize.
using SkiaSharp;

namespace AffectMae.Models.Data;

/// <summary>
/// Turns a decoded frame into the model's input, [3, side, side] float32 in CHW order: an optional random crop, a resize
/// to <see cref="Side"/>, an optional horizontal flip and a per-channel normalisation — the order of MAE's
/// <c>transforms.Compose([RandomResizedCrop, RandomHorizontalFlip, ToTensor, Normalize])</c>.
/// </summary>
/// <remarks>
/// Cropping and resizing run in Skia on the 8-bit image (as PIL does in MAE); the float conversion, flip and
/// normalisation run on the destination span. Random draws come from the <see cref="Random"/> passed in, crop first
/// and then the flip, so a seeded generator reproduces the output. An instance holds no state and is thread-safe.
/// </remarks>
public sealed class ImageTransform
{
    /// <summary>Creates a transform.</summary>
    /// <param name="side">Output side in pixels (the model's image size, e.g. 224).</param>
    /// <param name="crop">Random crop taken before resizing, or <see langword="null"/> to resize the whole frame.</param>
    /// <param name="flipProbability">Probability of a horizontal flip, in [0, 1].</param>
    /// <param name="normalization">Per-channel normalisation, or <see langword="null"/> to keep [0, 1] values.</param>
    /// <param name="filter">Interpolation of the resize.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size or probability is out of range.</exception>
    public ImageTransform(int side, RandomResizedCrop? crop = null, double flipProbability = 0,
        ImageNormalization? normalization = null, ResizeFilter filter = ResizeFilter.Bicubic)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(side);
        if (!(flipProbability >= 0 && flipProbability <= 1))
            throw new ArgumentOutOfRangeException(nameof(flipProbability), flipProbability, "A probability lies in [0, 1].");
        if (!Enum.IsDefined(filter))
            throw new ArgumentOutOfRangeException(nameof(filter), filter, "Use Bicubic or Bilinear.");
        (Side, Crop, FlipProbability, Normalization, Filter) = (side, crop, flipProbability, normalization, filter);
    }

    /// <summary>Evaluation and feature extraction: resize the whole frame to <paramref name="side"/> (bicubic by default), then normalise.</summary>
    /// <param name="side">Output side in pixels.</param>
    /// <param name="normalization"><see langword="null"/> means <see cref="ImageNormalization.ImageNet"/>; to keep [0, 1] values, use the constructor.</param>
    /// <param name="filter">Interpolation of the resize.</param>
    public static ImageTransform Eval(int side, ImageNormalization? normalization = null, ResizeFilter filter = ResizeFilter.Bicubic) =>
        new(side, null, 0, normalization ?? ImageNormalization.ImageNet, filter);

    /// <summary>
    /// MAE pre-training augmentation (<c>main_pretrain.py</c>): RandomResizedCrop with scale (0.2, 1.0) and ratio
    /// (3/4, 4/3) to <paramref name="side"/>, bicubic; horizontal flip with p = 0.5; ImageNet normalisation.
    /// </summary>
    /// <param name="side">Output side in pixels.</param>
    public static ImageTransform MaePretraining(int side) =>
        new(side, new RandomResizedCrop(0.2, 1.0), 0.5, ImageNormalization.ImageNet, ResizeFilter.Bicubic);

    /// <summary>Output side in pixels.</summary>
    public int Side { get; }

    /// <summary>The most pixels a source image may have; checked from its header before decoding (see <see cref="ImageDecoder"/>).</summary>
    /// <value>The default value is <see cref="ImageDecoder.DefaultMaxPixels"/> (40 million).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public long MaxPixels
    {
        get => maxPixels;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            maxPixels = value;
        }
    }

    private readonly long maxPixels = ImageDecoder.DefaultMaxPixels;

    /// <summary>The random crop, or <see langword="null"/> for the whole frame.</summary>
    public RandomResizedCrop? Crop { get; }

    /// <summary>Probability of a horizontal flip.</summary>
    public double FlipProbability { get; }

    /// <summary>The normalisation, or <see langword="null"/> to keep [0, 1] values.</summary>
    public ImageNormalization? Normalization { get; }

    /// <summary>Interpolation of the resize.</summary>
    public ResizeFilter Filter { get; }

    /// <summary>Values one output image holds: 3·side².</summary>
    public int OutputLength => 3 * Side * Side;

    /// <summary>Transforms a decoded frame into <paramref name="destination"/>.</summary>
    /// <param name="source">A bitmap from <see cref="ImageDecoder.Decode(string, long)"/> (RGBA 8888, unpremultiplied).</param>
    /// <param name="random">Generator for the crop and the flip; unused when the transform has neither.</param>
    /// <param name="destination">[3, side, side] values, <see cref="OutputLength"/> long.</param>
    /// <exception cref="ArgumentException">The bitmap is not RGBA 8888 or the destination has the wrong length.</exception>
    public void Apply(SKBitmap source, Random random, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(random);
        if (source.ColorType != SKColorType.Rgba8888)
            throw new ArgumentException($"Expected an Rgba8888 bitmap (from ImageDecoder.Decode); got {source.ColorType}.", nameof(source));
        if (destination.Length != OutputLength)
            throw new ArgumentException($"Destination must hold 3·{Side}·{Side} = {OutputLength} values; it holds {destination.Length}.", nameof(destination));

        var region = Crop?.Sample(source.Width, source.Height, random) ?? new CropRegion(0, 0, source.Height, source.Width);
        using var pixels = source.PeekPixels();
        if (region == new CropRegion(0, 0, Side, Side))
        {
            RgbPlanes.FromRgba(pixels.GetPixelSpan(), Side, Side, pixels.RowBytes, destination);   // already the right size
        }
        else
        {
            using var resized = Resize(pixels, region);
            RgbPlanes.FromRgba(resized.GetPixelSpan(), Side, Side, resized.RowBytes, destination);
        }

        if (FlipProbability > 0 && random.NextDouble() < FlipProbability)
            RgbPlanes.FlipHorizontal(destination, Side, Side);
        Normalization?.Apply(destination);
    }

    /// <summary>Decodes the image at <paramref name="path"/> and transforms it into a new array.</summary>
    /// <param name="path">A JPEG or PNG file.</param>
    /// <param name="random">Generator for the crop and the flip.</param>
    /// <returns>[3, side, side] values.</returns>
    /// <exception cref="InvalidDataException">The file cannot be decoded or has more than <see cref="MaxPixels"/> pixels; the message names it.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is not a regular file.</exception>
    public float[] Load(string path, Random random)
    {
        var output = new float[OutputLength];
        using var bitmap = ImageDecoder.Decode(path, MaxPixels);
        Apply(bitmap, random, output);
        return output;
    }

    private SKBitmap Resize(SKPixmap pixels, CropRegion region)
    {
        using var cropped = pixels.ExtractSubset(SKRectI.Create(region.Left, region.Top, region.Width, region.Height));
        var resized = new SKBitmap(new SKImageInfo(Side, Side, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using var target = resized.PeekPixels();
        // Unpremultiplied source and target: Skia scales the colour channels without premultiplying (PIL's RGB resize).
        if (cropped is null || !cropped.ScalePixels(target, Filter.ToSampling()))
        {
            resized.Dispose();
            throw new InvalidOperationException($"Skia could not resize the {region.Width}×{region.Height} crop to {Side}×{Side}.");
        }
        return resized;
    }
}
