using AffectMae.Video.Decoding;
using OpenCvSharp;

namespace AffectMae.Video.Tests;

[Collection(DebianAssetsCollection.Name)]
public sealed class VideoFileSourceTests(DebianAssets assets) : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Every_written_frame_is_decoded_once_in_order_with_its_timestamp()
    {
        string path = temp.File("pan.mp4");
        using (var photo = Cv2.ImRead(assets.Astronaut))
            AstronautVideo.Write(path, photo, count: 12, new Size(160, 120), new HashSet<int>(), fps: 25);

        using var source = new VideoFileSource(path);
        var seen = new List<(int Index, int Number, TimeSpan? Time, int W, int H)>();
        foreach (var frame in source.ReadFrames())
            using (frame)
                seen.Add((frame.Index, frame.FrameNumber, frame.Timestamp, frame.Width, frame.Height));

        seen.Select(s => s.Index).Should().Equal(Enumerable.Range(0, 12));
        seen.Select(s => s.Number).Should().Equal(Enumerable.Range(1, 12));
        // 25 frames/s: frame i is shown at i · 40 ms.
        seen.Select(s => s.Time!.Value.TotalMilliseconds).Should().Equal(Enumerable.Range(0, 12).Select(i => i * 40.0),
            (a, b) => Math.Abs(a - b) < 0.5);
        seen.Should().OnlyContain(s => s.W == 160 && s.H == 120);
        source.Info.Should().BeEquivalentTo(new FrameSourceInfo(FrameSourceKind.VideoFile, 160, 120, 25.0, 12, 0, false));
        source.Summary!.DecodedFrames.Should().Be(12);
        source.Summary.CountMatchesHeader.Should().BeTrue();
        source.Summary.VariableFrameRate.Should().BeFalse();
        source.Summary.Notes.Should().BeEmpty();
    }

    [Fact]
    public void A_truncated_video_yields_the_frames_it_holds_and_reports_the_header_count()
    {
        string path = temp.File("cut.avi");
        using (var photo = Cv2.ImRead(assets.Astronaut))
            AstronautVideo.Write(path, photo, count: 20, new Size(160, 120), new HashSet<int>(), fps: 25, codec: FourCC.MJPG);
        // Keep the header and about the first half of the frames: the AVI header still announces 20.
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        using var source = new VideoFileSource(path);
        int rows = 0;
        foreach (var frame in source.ReadFrames())
            using (frame)
                rows++;

        source.Info.HeaderFrameCount.Should().Be(20);
        rows.Should().BeInRange(5, 15);
        source.Summary!.DecodedFrames.Should().Be(rows);
        source.Summary.CountMatchesHeader.Should().BeFalse();
        source.Summary.Notes.Should().ContainSingle(n => n.Contains("announces 20 frames") && n.Contains($"{rows} were decoded"));
    }

    [Fact]
    public void Reading_twice_is_refused()
    {
        string path = temp.File("two.mp4");
        using (var photo = Cv2.ImRead(assets.Astronaut))
            AstronautVideo.Write(path, photo, count: 2, new Size(64, 48), new HashSet<int>());
        using var source = new VideoFileSource(path);
        foreach (var frame in source.ReadFrames())
            frame.Dispose();
        source.Invoking(s => s.ReadFrames()).Should().Throw<InvalidOperationException>().WithMessage("*already read*");
    }

    [Fact]
    public void A_file_that_is_not_a_video_is_refused_with_its_name()
    {
        string path = temp.File("notes.mp4");
        File.WriteAllText(path, "not a video");
        var open = () => new VideoFileSource(path);
        open.Should().Throw<InvalidDataException>().WithMessage($"*{path}*");
        var missing = () => new VideoFileSource(temp.File("missing.mp4"));
        missing.Should().Throw<FileNotFoundException>().WithMessage("*missing.mp4*");
    }

    [Fact]
    public void Cancellation_stops_decoding_between_frames()
    {
        string path = temp.File("cancel.mp4");
        using (var photo = Cv2.ImRead(assets.Astronaut))
            AstronautVideo.Write(path, photo, count: 10, new Size(64, 48), new HashSet<int>());
        using var source = new VideoFileSource(path);
        using var cancel = new CancellationTokenSource();
        int read = 0;
        var act = () =>
        {
            foreach (var frame in source.ReadFrames(cancel.Token))
            {
                frame.Dispose();
                if (++read == 3)
                    cancel.Cancel();
            }
        };
        act.Should().Throw<OperationCanceledException>();
        read.Should().Be(3);
        source.Summary.Should().BeNull();
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(90, RotateFlags.Rotate90Clockwise)]
    [InlineData(180, RotateFlags.Rotate180)]
    [InlineData(270, RotateFlags.Rotate90Counterclockwise)]
    [InlineData(-90, RotateFlags.Rotate90Counterclockwise)]
    public void Rotation_metadata_maps_to_the_turn_that_makes_frames_upright(int degrees, RotateFlags? expected) =>
        VideoFileSource.RotationFor(degrees).Should().Be(expected);
}
