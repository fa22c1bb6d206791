namespace AffectMae.Models.Data;

/// <summary>
/// Pixel work on planar float RGB ([3, H, W], channel-major, the layout of a CHW tensor): conversion from 8-bit RGBA
/// rows and horizontal flipping. Everything runs on spans and allocates nothing.
/// </summary>
public static class RgbPlanes
{
    // k / 255 for every byte k: the same float that torchvision's ToTensor computes (byte → float, then ÷ 255).
    private static readonly float[] UnitOfByte = Enumerable.Range(0, 256).Select(k => k / 255f).ToArray();

    /// <summary>
    /// Writes 8-bit RGBA pixels as [0, 1] float planes: value = byte / 255. Alpha is dropped, as PIL's
    /// <c>convert("RGB")</c> does for an unpremultiplied image.
    /// </summary>
    /// <param name="rgba">Rows of R, G, B, A bytes; row r starts at r·<paramref name="rowBytes"/>.</param>
    /// <param name="width">Pixels a row.</param>
    /// <param name="height">Rows.</param>
    /// <param name="rowBytes">Bytes from one row to the next (at least 4·width).</param>
    /// <param name="planes">Destination of length 3·H·W: the R plane, then G, then B.</param>
    /// <exception cref="ArgumentException">A size does not fit.</exception>
    public static void FromRgba(ReadOnlySpan<byte> rgba, int width, int height, int rowBytes, Span<float> planes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (rowBytes < 4 * width)
            throw new ArgumentException($"Rows of {width} RGBA pixels need at least {4 * width} bytes; rowBytes is {rowBytes}.", nameof(rowBytes));
        if (rgba.Length < (long)rowBytes * (height - 1) + 4L * width)
            throw new ArgumentException($"{height} rows of {rowBytes} bytes do not fit in {rgba.Length} bytes.", nameof(rgba));
        int plane = width * height;
        if (planes.Length != 3 * plane)
            throw new ArgumentException($"Destination must hold 3·{height}·{width} = {3 * plane} values; it holds {planes.Length}.", nameof(planes));

        var red = planes[..plane];
        var green = planes.Slice(plane, plane);
        var blue = planes.Slice(2 * plane, plane);
        for (int y = 0; y < height; y++)
        {
            var row = rgba.Slice(y * rowBytes, 4 * width);
            int o = y * width;
            for (int x = 0; x < width; x++)
            {
                red[o + x] = UnitOfByte[row[4 * x]];
                green[o + x] = UnitOfByte[row[4 * x + 1]];
                blue[o + x] = UnitOfByte[row[4 * x + 2]];
            }
        }
    }

    /// <summary>Mirrors planar RGB left to right in place: column x becomes column W−1−x in every row of every channel.</summary>
    /// <param name="planes">[3, H, W] values.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <exception cref="ArgumentException">The length is not 3·H·W.</exception>
    public static void FlipHorizontal(Span<float> planes, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (planes.Length != 3 * height * width)
            throw new ArgumentException($"Expected 3·{height}·{width} = {3 * height * width} values; got {planes.Length}.", nameof(planes));
        for (int row = 0; row < 3 * height; row++)
            planes.Slice(row * width, width).Reverse();
    }
}
