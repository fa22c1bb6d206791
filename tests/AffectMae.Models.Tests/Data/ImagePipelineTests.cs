using AffectMae.Models.Data;
using SkiaSharp;

namespace AffectMae.Models.Tests.Data;

public sealed class ImagePipelineTests : IDisposable
{
    private readonly TestImages images = new();

    public void Dispose() => images.Dispose();

    // Row 0: red (255, 0, 0), green (0, 255, 0); row 1: blue (0, 0, 255), (51, 102, 204) = (0.2, 0.4, 0.8) · 255.
    private string TwoByTwo() => images.Write("2x2.png", 2, 2, (x, y) => (x, y) switch
    {
        (0, 0) => new SKColor(255, 0, 0),
        (1, 0) => new SKColor(0, 255, 0),
        (0, 1) => new SKColor(0, 0, 255),
        _ => new SKColor(51, 102, 204),
    });

    [Fact]
    public void A_2x2_png_decodes_to_exact_unit_values_in_channel_major_order()
    {
        var planes = new ImageTransform(2).Load(TwoByTwo(), new Random(0));   // no normalisation: ToTensor's k / 255

        planes.Should().Equal(
            1f, 0f, 0f, 51 / 255f,      // R plane, row-major: red, green, blue, (51, 102, 204)
            0f, 1f, 0f, 102 / 255f,     // G plane
            0f, 0f, 1f, 204 / 255f);    // B plane
    }

    [Fact]
    public void ImageNet_normalisation_of_the_2x2_png_gives_the_hand_computed_values()
    {
        var planes = ImageTransform.Eval(2).Load(TwoByTwo(), new Random(0));

        // R: (1 − 0.485)/0.229 = 2.248908, (0 − 0.485)/0.229 = −2.117904, (0.2 − 0.485)/0.229 = −1.244541
        // G: (1 − 0.456)/0.224 = 2.428571, (0 − 0.456)/0.224 = −2.035714, (0.4 − 0.456)/0.224 = −0.25
        // B: (1 − 0.406)/0.225 = 2.64,     (0 − 0.406)/0.225 = −1.804444, (0.8 − 0.406)/0.225 = 1.751111
        float[] expected =
        [
            2.248908f, -2.117904f, -2.117904f, -1.244541f,
            -2.035714f, 2.428571f, -2.035714f, -0.25f,
            -1.804444f, -1.804444f, 2.64f, 1.751111f,
        ];
        for (int i = 0; i < expected.Length; i++)
            planes[i].Should().BeApproximately(expected[i], 2e-6f, $"value {i}");
    }

    [Theory]
    [InlineData(ResizeFilter.Bicubic, 8)]
    [InlineData(ResizeFilter.Bilinear, 8)]
    [InlineData(ResizeFilter.Bicubic, 3)]
    public void Resizing_a_constant_colour_image_keeps_every_pixel_that_colour(ResizeFilter filter, int side)
    {
        string path = images.Write("flat.png", 5, 7, (_, _) => new SKColor(10, 128, 250));

        var planes = new ImageTransform(side, filter: filter).Load(path, new Random(0));

        planes.Should().HaveCount(3 * side * side);
        planes[..(side * side)].Should().OnlyContain(v => v == 10 / 255f);
        planes[(side * side)..(2 * side * side)].Should().OnlyContain(v => v == 128 / 255f);
        planes[(2 * side * side)..].Should().OnlyContain(v => v == 250 / 255f);
    }

    [Fact]
    public void Horizontal_flip_reverses_the_columns_of_every_row_of_every_channel()
    {
        float[] planes = Enumerable.Range(0, 18).Select(i => (float)i).ToArray();   // [3, 2, 3]

        RgbPlanes.FlipHorizontal(planes, height: 2, width: 3);

        planes.Should().Equal(2, 1, 0, 5, 4, 3, 8, 7, 6, 11, 10, 9, 14, 13, 12, 17, 16, 15);
    }

    [Fact]
    public void A_transform_that_always_flips_swaps_the_columns_of_the_decoded_image()
    {
        var flipped = new ImageTransform(2, flipProbability: 1).Load(TwoByTwo(), new Random(0));

        flipped.Should().Equal(0f, 1f, 51 / 255f, 0f, 1f, 0f, 102 / 255f, 0f, 0f, 0f, 204 / 255f, 1f);
    }

    [Fact]
    public void RandomResizedCrop_with_a_fixed_seed_is_reproducible_and_stays_inside_the_frame()
    {
        var crop = new RandomResizedCrop();
        var first = new Random(7);
        var second = new Random(7);
        foreach (var (width, height) in new[] { (112, 112), (200, 90), (1, 50), (64, 3) })
        {
            for (int i = 0; i < 500; i++)
            {
                var region = crop.Sample(width, height, first);
                region.Should().Be(crop.Sample(width, height, second));
                region.Top.Should().BeInRange(0, height - region.Height);
                region.Left.Should().BeInRange(0, width - region.Width);
                region.Height.Should().BeInRange(1, height);
                region.Width.Should().BeInRange(1, width);
            }
        }
    }

    [Fact]
    public void RandomResizedCrop_on_a_square_frame_covers_a_fifth_to_all_of_it_with_ratios_within_three_quarters_to_four_thirds()
    {
        // On a 112×112 frame every first try fits or a later one does (10 tries); rounding moves area and ratio slightly.
        var crop = new RandomResizedCrop();
        var random = new Random(11);
        for (int i = 0; i < 500; i++)
        {
            var r = crop.Sample(112, 112, random);
            ((double)r.Width * r.Height / (112 * 112)).Should().BeInRange(0.2 - 0.02, 1.0);
            ((double)r.Width / r.Height).Should().BeInRange(0.75 - 0.02, 4.0 / 3.0 + 0.02);
        }
    }

    [Fact]
    public void The_MAE_pretraining_transform_reproduces_its_output_from_the_same_seed()
    {
        string path = images.Gradient("face.png", 40, 30);
        var transform = ImageTransform.MaePretraining(16);

        var first = transform.Load(path, new Random(5));
        var again = transform.Load(path, new Random(5));
        var other = transform.Load(path, new Random(6));

        first.Should().HaveCount(3 * 16 * 16).And.Equal(again);
        other.Should().NotEqual(first);
    }

    [Fact]
    public void A_corrupt_file_raises_an_exception_that_names_it()
    {
        string path = images.Corrupt("broken.jpg");

        var act = () => ImageDecoder.Decode(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"*{path}*");
    }

    [Fact]
    public void A_truncated_jpeg_is_an_error_rather_than_a_partly_grey_image()
    {
        string jpeg = images.Write("cut.jpg", 64, 64, (x, y) => new SKColor((byte)(4 * x), (byte)(4 * y), 90), SKEncodedImageFormat.Jpeg);
        using (var whole = ImageDecoder.Decode(jpeg)) whole.Width.Should().Be(64);
        var bytes = File.ReadAllBytes(jpeg);
        File.WriteAllBytes(jpeg, bytes[..(bytes.Length / 2)]);

        var act = () => ImageDecoder.Decode(jpeg);

        act.Should().Throw<InvalidDataException>().WithMessage($"*{jpeg}*");
    }

    [Fact]
    public void A_missing_file_raises_FileNotFoundException_with_its_name()
    {
        string path = Path.Combine(images.Folder, "absent.png");

        var act = () => ImageDecoder.Decode(path);

        act.Should().Throw<FileNotFoundException>().Which.FileName.Should().Be(path);
    }
    [Fact]
    public void An_image_above_the_pixel_cap_is_refused_from_its_header_before_decoding()
    {
        // A PNG of under 100 bytes whose header declares 100000 × 100000 pixels: decoding it would ask for a 40 GB bitmap.
        string path = Path.Combine(images.Folder, "huge.png");
        File.WriteAllBytes(path, PngHeaderOnly(100_000, 100_000));

        FluentActions.Invoking(() => ImageDecoder.Decode(path)).Should().Throw<InvalidDataException>().WithMessage(
            $"Image '{path}' is 100000×100000 = 10000000000 pixels, above the cap of 40000000; if it is genuine, raise ImageTransform.MaxPixels (or the maxPixels argument of ImageDecoder.Decode).");
    }

    [Fact]
    public void The_pixel_cap_is_a_setting_of_the_transform()
    {
        string path = images.Gradient("g.png");   // 12 × 10 = 120 pixels

        FluentActions.Invoking(() => new ImageTransform(4) { MaxPixels = 119 }.Load(path, new Random(0)))
            .Should().Throw<InvalidDataException>().WithMessage("*is 12×10 = 120 pixels, above the cap of 119*");
        new ImageTransform(4) { MaxPixels = 120 }.Load(path, new Random(0)).Should().HaveCount(3 * 4 * 4);
        FluentActions.Invoking(() => new ImageTransform(4) { MaxPixels = 0 }).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void A_fifo_in_place_of_an_image_is_refused_without_blocking()
    {
        string path = Path.Combine(images.Folder, "00001.jpg");
        if (OperatingSystem.IsWindows()) return;   // no FIFOs there
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path])) mkfifo.WaitForExit();

        TimeLimit.Run(TimeSpan.FromSeconds(10), () => ImageDecoder.Decode(path))
            .Should().BeOfType<IOException>().Which.Message.Should().Contain("is a FIFO (named pipe), not a regular file");
    }

    /// <summary>A PNG signature, an IHDR chunk (8-bit RGB) of the given size, one IDAT of a few bytes and IEND: a valid header, almost no pixels.</summary>
    private static byte[] PngHeaderOnly(int width, int height)
    {
        static byte[] Chunk(string type, byte[] data)
        {
            byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
            uint crc = 0xFFFFFFFF;                         // CRC-32 (ISO 3309) over type and data, as PNG requires
            foreach (byte b in typed)
            {
                crc ^= b;
                for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320 & (0 - (crc & 1)));
            }
            return [.. BigEndian((uint)data.Length), .. typed, .. BigEndian(~crc)];
        }
        static byte[] BigEndian(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
        byte[] header = [.. BigEndian((uint)width), .. BigEndian((uint)height), 8, 2, 0, 0, 0];
        var pixels = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(pixels, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(new byte[16]);                      // filter byte and the first pixels of row 0
        return [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. Chunk("IHDR", header), .. Chunk("IDAT", pixels.ToArray()), .. Chunk("IEND", [])];
    }
}
