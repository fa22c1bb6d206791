using AffectMae.Core.Data;
using AffectMae.Video.Cropping;
using AffectMae.Video.Faces;
using OpenCvSharp;
using SkiaSharp;
using Xunit.Abstractions;

namespace AffectMae.Video.Tests;

public sealed class FaceCropperTests
{
    /// <summary>A 200 × 160 BGR image whose blue value is the column and green value the row (a linear ramp each).</summary>
    private static Mat Ramps()
    {
        var image = new Mat(160, 200, MatType.CV_8UC3);
        for (int y = 0; y < 160; y++)
            for (int x = 0; x < 200; x++)
                image.Set(y, x, new Vec3b((byte)x, (byte)y, 0));
        return image;
    }

    [Fact]
    public void An_axis_aligned_crop_samples_the_square_pixel_centre_by_pixel_centre()
    {
        using var image = Ramps();
        var cropper = new FaceCropper(new FaceCropOptions { OutputSize = 32 });
        // Square of side 48 centred at (100, 80): crop pixel u shows continuous x = 76 + (u + ½)·48/32, and a linear
        // ramp whose pixel i (centre i + ½) holds i has the value x − ½ there: 75.5 + 1.5·(u + ½) = 76.25 + 1.5·u.
        using var crop = cropper.Crop(image, new CropSquare(100, 80, 48, 0));
        crop.Size().Should().Be(new Size(32, 32));
        for (int v = 0; v < 32; v += 5)
            for (int u = 0; u < 32; u += 5)
            {
                var pixel = crop.At<Vec3b>(v, u);
                ((double)pixel.Item0).Should().BeApproximately(76.25 + 1.5 * u, 0.51, $"blue at ({u}, {v})");
                ((double)pixel.Item1).Should().BeApproximately(56.25 + 1.5 * v, 0.51, $"green at ({u}, {v})");
            }
    }

    [Fact]
    public void A_turned_crop_shows_the_frame_points_of_the_turned_square()
    {
        using var image = Ramps();
        var cropper = new FaceCropper(new FaceCropOptions { OutputSize = 40 });
        var square = new CropSquare(100, 80, 40, 30);
        using var crop = cropper.Crop(image, square);
        // Crop pixel (u, v) shows frame point c + R(30°)·((u + ½) − 20, (v + ½) − 20); ramps hold x − ½ and y − ½.
        // Tolerance: rounding to bytes (½) plus the 1/32-pixel fixed-point positions of OpenCV's warp.
        double cos = Math.Cos(Math.PI / 6), sin = Math.Sin(Math.PI / 6);
        for (int v = 0; v < 40; v += 7)
            for (int u = 0; u < 40; u += 7)
            {
                double px = u + 0.5 - 20, py = v + 0.5 - 20;
                double x = 100 + cos * px - sin * py, y = 80 + sin * px + cos * py;
                var pixel = crop.At<Vec3b>(v, u);
                ((double)pixel.Item0).Should().BeApproximately(x - 0.5, 0.55, $"blue at ({u}, {v})");
                ((double)pixel.Item1).Should().BeApproximately(y - 0.5, 0.55, $"green at ({u}, {v})");
            }
    }

    [Fact]
    public void The_square_is_the_box_widened_by_the_margin_turned_by_the_eyes_and_shifted_along_the_face()
    {
        var box = new FaceBox(100, 50, 40, 60);   // longer side 60, centre (120, 80)
        // Eyes 40 right and 20 down of each other: roll atan2(20, 40) = 26.565°.
        var eyes = new FaceLandmarks(new(100, 70), new(140, 90), new(120, 95), new(110, 110), new(130, 115));
        var options = new FaceCropOptions { Margin = 0.25, CenterShift = 0.1 };

        var square = new FaceCropper(options).SquareFor(box, eyes);

        double a = Math.Atan2(20, 40);
        square.Side.Should().BeApproximately(1.5 * 60, 1e-9);
        square.AngleDegrees.Should().BeApproximately(a * 180 / Math.PI, 1e-9);
        // Shift 0.1·60 = 6 pixels along the face's own "down" (−sin a, cos a).
        square.CenterX.Should().BeApproximately(120 - 6 * Math.Sin(a), 1e-5);
        square.CenterY.Should().BeApproximately(80 + 6 * Math.Cos(a), 1e-5);

        options.AlignEyes = false;
        new FaceCropper(options).SquareFor(box, eyes).Should().Be(new CropSquare(120, 86, 90, 0));
        new FaceCropper(new FaceCropOptions()).SquareFor(box).Should().Be(new CropSquare(120, 80, 90, 0));
    }

    [Fact]
    public void A_large_square_is_shrunk_by_area_averaging_so_a_fine_pattern_averages_out()
    {
        // One-pixel black/white columns: a 400-pixel square shrunk to 20 pixels should average to mid grey, where
        // bilinear sampling alone would pick single columns.
        using var stripes = new Mat(400, 400, MatType.CV_8UC3);
        for (int x = 0; x < 400; x++)
        {
            using var column = stripes.ColRange(x, x + 1);
            column.SetTo(x % 2 == 0 ? Scalar.All(0) : Scalar.All(255));
        }
        var cropper = new FaceCropper(new FaceCropOptions { OutputSize = 20 });
        using var crop = cropper.Crop(stripes, new CropSquare(200, 200, 400, 0));
        Cv2.MinMaxLoc(crop.Reshape(1), out double min, out double max);
        min.Should().BeGreaterThan(120);
        max.Should().BeLessThan(135);
    }

    [Fact]
    public void Parts_outside_the_frame_are_black_or_the_nearest_edge()
    {
        using var white = new Mat(50, 50, MatType.CV_8UC3, Scalar.All(255));
        var square = new CropSquare(0, 25, 50, 0);   // left half outside the frame; crop pixel u shows x = −25 + 2.5·(u + ½)
        using var black = new FaceCropper(new FaceCropOptions { OutputSize = 20 }).Crop(white, square);
        using var replicated = new FaceCropper(new FaceCropOptions { OutputSize = 20, Border = CropBorder.Replicate }).Crop(white, square);
        black.At<Vec3b>(10, 2).Should().Be(new Vec3b(0, 0, 0));          // x = −18.75
        black.At<Vec3b>(10, 16).Should().Be(new Vec3b(255, 255, 255));   // x = 16.25
        replicated.At<Vec3b>(10, 2).Should().Be(new Vec3b(255, 255, 255));
    }

    [Fact]
    public void Bitmaps_come_out_rgba_unpremultiplied_with_red_where_opencv_had_red()
    {
        using var bgr = new Mat(3, 4, MatType.CV_8UC3, new Scalar(10, 20, 230));   // B 10, G 20, R 230
        using var bitmap = BgrImages.ToBitmap(bgr);
        bitmap.Info.Should().Be(new SKImageInfo(4, 3, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.GetPixel(3, 2).Should().Be(new SKColor(230, 20, 10, 255));
        using var back = BgrImages.FromBitmap(bitmap);
        back.At<Vec3b>(2, 3).Should().Be(new Vec3b(10, 20, 230));
    }
}

[Collection(DebianAssetsCollection.Name)]
public sealed class AstronautCropTests(DebianAssets assets, ITestOutputHelper output)
{
    [Fact]
    public void Aligning_by_the_eyes_undoes_a_known_rotation_of_the_photo()
    {
        using var photo = Cv2.ImRead(assets.Astronaut);
        var face = AstronautVideo.PhotoFace;
        var eyes = new FaceLandmarks(AstronautVideo.PhotoRightEye, AstronautVideo.PhotoLeftEye, default, default, default);
        // Turn the photo 20° counter-clockwise about the face centre; the eyes and the box centre move with it.
        var centre = new Point2f(face.CenterX - 0.5f, face.CenterY - 0.5f);
        using var turn = Cv2.GetRotationMatrix2D(centre, 20, 1);
        using var turned = new Mat();
        Cv2.WarpAffine(photo, turned, turn, photo.Size(), InterpolationFlags.Linear);
        FacePoint Move(FacePoint p)
        {
            double x = p.X - 0.5, y = p.Y - 0.5;
            return new((float)(turn.At<double>(0, 0) * x + turn.At<double>(0, 1) * y + turn.At<double>(0, 2) + 0.5),
                       (float)(turn.At<double>(1, 0) * x + turn.At<double>(1, 1) * y + turn.At<double>(1, 2) + 0.5));
        }
        var turnedEyes = eyes.Select(Move);
        turnedEyes.RollDegrees.Should().BeApproximately(eyes.RollDegrees - 20, 1e-3);

        var cropper = new FaceCropper(new FaceCropOptions());
        using var upright = cropper.CropToBitmap(photo, face, eyes);
        using var aligned = cropper.CropToBitmap(turned, face, turnedEyes);
        using var unaligned = cropper.CropToBitmap(turned, face);

        double alignedDiff = ImageCompare.MeanAbsoluteRgbDifference(upright, aligned);
        double unalignedDiff = ImageCompare.MeanAbsoluteRgbDifference(upright, unaligned);
        output.WriteLine($"mean |Δ| aligned {alignedDiff:F2}, not aligned {unalignedDiff:F2}");
        alignedDiff.Should().BeLessThan(4);
        unalignedDiff.Should().BeGreaterThan(4 * alignedDiff);
    }

    [Fact]
    public void The_crop_equals_the_same_square_drawn_by_skia_from_the_decoded_photo()
    {
        using var photo = Cv2.ImRead(assets.Astronaut);
        using var skiaPhoto = ImageCompare.Decode(assets.Astronaut);
        var face = AstronautVideo.PhotoFace;
        var cropper = new FaceCropper(new FaceCropOptions { OutputSize = 112, Margin = 0.25 });
        using var ours = cropper.CropToBitmap(photo, face);
        // Independently: side 1.5 · 112 = 168 around the box centre (227, 134), drawn by Skia.
        using var skia = ImageCompare.SkiaCrop(skiaPhoto, 227, 134, 168, 112);
        using var shifted = ImageCompare.SkiaCrop(skiaPhoto, 227 + 8, 134, 168, 112);
        double same = ImageCompare.MeanAbsoluteRgbDifference(ours, skia), off = ImageCompare.MeanAbsoluteRgbDifference(ours, shifted);
        output.WriteLine($"mean |Δ| against Skia {same:F2}; against Skia 8 px to the right {off:F2}");
        same.Should().BeLessThan(2);
        off.Should().BeGreaterThan(3 * same);
    }
}
