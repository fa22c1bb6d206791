using AffectMae.Video.Faces;
using OpenCvSharp;

namespace AffectMae.Video.Tests;

/// <summary>
/// Short videos made from <c>astronaut.png</c> with OpenCV's <see cref="VideoWriter"/>: each frame shows the photo
/// scaled by s and moved by (tx, ty), so where the face is in every frame is known from how the frame was made.
/// </summary>
public static class AstronautVideo
{
    /// <summary>
    /// The face in astronaut.png, measured by eye on a 10-pixel grid: cheek to cheek x 184–270, eyebrows to chin
    /// y 78–190 (continuous pixel coordinates).
    /// </summary>
    public static readonly FaceBox PhotoFace = new(184, 78, 86, 112);

    /// <summary>Eye centres in astronaut.png, measured the same way: the subject's right eye (image left) and left eye.</summary>
    public static readonly FacePoint PhotoRightEye = new(204, 101), PhotoLeftEye = new(247, 103);

    /// <summary>How frame <paramref name="t"/> of <paramref name="count"/> places the photo: scale 0.50 → 0.65, face centre panning left to right.</summary>
    public static (double Scale, double Tx, double Ty) Placement(int t, int count, Size frame)
    {
        double u = count == 1 ? 0 : t / (double)(count - 1);
        double scale = 0.50 + 0.15 * u;
        double faceX = frame.Width * (0.30 + 0.40 * u), faceY = frame.Height * (0.45 + 0.05 * u);
        // Put the face's centre at (faceX, faceY): s·(c − ½) + t + ½ = target, in continuous coordinates.
        return (scale, faceX - 0.5 - scale * (PhotoFace.CenterX - 0.5), faceY - 0.5 - scale * (PhotoFace.CenterY - 0.5));
    }

    /// <summary>Maps a photo box into frame t (continuous coordinates; OpenCV's warp maps pixel centres i ↦ s·i + t).</summary>
    public static FaceBox ToFrame(FaceBox photoBox, (double Scale, double Tx, double Ty) p) => new(
        (float)(p.Scale * (photoBox.X - 0.5) + p.Tx + 0.5),
        (float)(p.Scale * (photoBox.Y - 0.5) + p.Ty + 0.5),
        (float)(p.Scale * photoBox.Width),
        (float)(p.Scale * photoBox.Height));

    /// <summary>Maps a frame box back to the photo.</summary>
    public static FaceBox ToPhoto(FaceBox frameBox, (double Scale, double Tx, double Ty) p) => new(
        (float)((frameBox.X - 0.5 - p.Tx) / p.Scale + 0.5),
        (float)((frameBox.Y - 0.5 - p.Ty) / p.Scale + 0.5),
        (float)(frameBox.Width / p.Scale),
        (float)(frameBox.Height / p.Scale));

    /// <summary>Frame t: the photo warped into the frame, with the face covered by a grey patch when <paramref name="covered"/>.</summary>
    public static Mat Frame(Mat photo, int t, int count, Size size, bool covered)
    {
        var p = Placement(t, count, size);
        using var m = Mat.FromPixelData(2, 3, MatType.CV_64FC1, new[] { p.Scale, 0, p.Tx, 0, p.Scale, p.Ty });
        var frame = new Mat();
        Cv2.WarpAffine(photo, frame, m, size, InterpolationFlags.Area, BorderTypes.Constant, new Scalar(40, 40, 40));
        if (covered)
        {
            var face = ToFrame(PhotoFace, p);
            float grow = 0.3f * face.Width;
            Cv2.Rectangle(frame, new Rect((int)(face.X - grow), (int)(face.Y - grow), (int)(face.Width + 2 * grow), (int)(face.Height + 2 * grow)),
                new Scalar(128, 128, 128), thickness: -1);
        }
        return frame;
    }

    /// <summary>Writes a video of <paramref name="count"/> frames; frames in <paramref name="covered"/> have the face hidden.</summary>
    public static void Write(string path, Mat photo, int count, Size size, ISet<int> covered, double fps = 25, FourCC? codec = null)
    {
        using var writer = new VideoWriter(path, codec ?? FourCC.FromString("mp4v"), fps, size);
        if (!writer.IsOpened())
            throw new InvalidOperationException($"VideoWriter cannot write '{path}'.");
        for (int t = 0; t < count; t++)
        {
            using var frame = Frame(photo, t, count, size, covered.Contains(t));
            writer.Write(frame);
        }
    }
}
