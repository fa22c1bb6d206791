using System.Buffers.Binary;
using System.Text;
using AffectMae.Video.Decoding;
using AffectMae.Video.Faces;
using OpenCvSharp;
using Xunit.Abstractions;

namespace AffectMae.Video.Tests;

/// <summary>
/// A phone-style video: frames stored turned a quarter, with a display matrix in the MP4 track header (<c>tkhd</c>)
/// that tells players to turn them back. <see cref="VideoWriter"/> cannot write such metadata, so the test writes a
/// plain MP4 and then sets the matrix in place (ISO/IEC 14496-12 §8.3.2: after the fields up to <c>volume</c>, nine
/// 32-bit numbers a, b, u, c, d, v, x, y, w in 16.16 and 2.30 fixed point).
/// </summary>
[Collection(DebianAssetsCollection.Name)]
public sealed class RotationTests(DebianAssets assets, ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Sets the track header's matrix to a rotation by 90° (a = 0, b = 1, c = −1, d = 0), as phones write for portrait video.</summary>
    private static void SetQuarterTurn(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int tkhd = Encoding.ASCII.GetString(bytes).IndexOf("tkhd", StringComparison.Ordinal);
        tkhd.Should().BePositive("the MP4 has a track header");
        int version = bytes[tkhd + 4];
        // version, flags (4) + creation, modification (4 or 8 each) + track id, reserved (8) + duration (4 or 8)
        // + reserved (8) + layer, alternate group, volume, reserved (8)
        int matrix = tkhd + 4 + 4 + (version == 1 ? 16 : 8) + 8 + (version == 1 ? 8 : 4) + 8 + 8;
        int[] rotation = [0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000];
        for (int i = 0; i < 9; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(matrix + 4 * i), rotation[i]);
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void A_video_stored_on_its_side_comes_out_upright_and_the_rotation_is_reported()
    {
        // A portrait frame (240 wide, 320 high: the photo at 320², its middle 240 columns), stored turned a quarter
        // counter-clockwise (320 × 240), so that a quarter turn clockwise makes it upright.
        string path = temp.File("portrait.mp4");
        using (var photo = Cv2.ImRead(assets.Astronaut))
        using (var small = photo.Resize(new Size(320, 320)))
        using (var portrait = new Mat(small, new Rect(40, 0, 240, 320)))
        using (var sideways = new Mat())
        {
            Cv2.Rotate(portrait, sideways, RotateFlags.Rotate90Counterclockwise);
            using var writer = new VideoWriter(path, FourCC.FromString("mp4v"), 25, new Size(320, 240));
            for (int t = 0; t < 3; t++)
                writer.Write(sideways);
        }
        SetQuarterTurn(path);

        using var source = new VideoFileSource(path);
        output.WriteLine($"{source.Info}");
        source.Info.Should().BeEquivalentTo(new FrameSourceInfo(FrameSourceKind.VideoFile, 240, 320, 25.0, 3, 90, true));

        using var detector = new CascadeFaceDetector(new FaceDetectorOptions { ModelPath = assets.HaarCascade() });
        using var unturned = new VideoFileSource(path, autoRotate: false);
        using (var frame = source.ReadFrames().First())
        using (var stored = unturned.ReadFrames().First())
        {
            // The frontal-face cascade finds the face only in the upright frame.
            var upright = detector.Detect(frame.Image);
            output.WriteLine($"upright: {upright.Count} face(s); as stored: {detector.Detect(stored.Image).Count}");
            (frame.Width, frame.Height, stored.Width, stored.Height).Should().Be((240, 320, 320, 240));
            upright.Should().ContainSingle();
            upright[0].Box.IntersectionOverUnion(AstronautVideo.PhotoFace.Scale(320f / 512).Offset(-40, 0)).Should().BeGreaterThanOrEqualTo(0.5f);
            detector.Detect(stored.Image).Should().BeEmpty();
        }
    }
}
