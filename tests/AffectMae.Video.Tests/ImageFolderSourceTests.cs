using AffectMae.Video.Decoding;
using OpenCvSharp;

namespace AffectMae.Video.Tests;

public sealed class ImageFolderSourceTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Writes a small image whose blue value encodes <paramref name="tag"/>.</summary>
    private void Image(string name, int tag)
    {
        using var image = new Mat(8, 10, MatType.CV_8UC3, new Scalar(tag, 0, 0));
        Cv2.ImWrite(temp.File(name), image).Should().BeTrue();
    }

    [Fact]
    public void Frames_come_in_numeric_order_of_their_names_with_gaps_kept_and_reported()
    {
        Image("10.png", 10);
        Image("9.png", 9);
        Image("00002.png", 2);
        Image("frame_1.png", 1);
        File.WriteAllText(temp.File("notes.txt"), "not an image");

        using var source = new ImageFolderSource(temp.Path, framesPerSecond: 25);
        var frames = source.ReadFrames().Select(f =>
        {
            using (f)
                return (f.Index, f.FrameNumber, f.Timestamp, Blue: f.Image.At<Vec3b>(0, 0).Item0);
        }).ToList();

        frames.Select(f => f.FrameNumber).Should().Equal(1, 2, 9, 10);
        frames.Select(f => f.Index).Should().Equal(0, 1, 2, 3);
        frames.Select(f => (int)f.Blue).Should().Equal(1, 2, 9, 10);
        // Frame k at (k − 1) / 25 s.
        frames.Select(f => f.Timestamp).Should().Equal(TimeSpan.Zero, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(320), TimeSpan.FromMilliseconds(360));
        source.Summary!.DecodedFrames.Should().Be(4);
        source.Summary.Notes.Should().ContainSingle().Which.Should().Be("6 frame number(s) are missing between 1 and 10: 3–8. Rows keep the numbers of the files.");
    }

    [Fact]
    public void Two_images_with_one_frame_number_are_refused_naming_both()
    {
        Image("00003.jpg", 3);
        Image("00003.png", 3);
        Image("00004.png", 4);
        var open = () => new ImageFolderSource(temp.Path);
        open.Should().Throw<InvalidDataException>().WithMessage("Frame 3 appears twice in*'00003.jpg' and '00003.png'*");
    }

    [Fact]
    public void An_image_without_a_number_and_an_empty_folder_are_refused()
    {
        var empty = () => new ImageFolderSource(temp.Path);
        empty.Should().Throw<InvalidDataException>().WithMessage("*holds no image*");

        Image("cover.png", 0);
        var unnamed = () => new ImageFolderSource(temp.Path);
        unnamed.Should().Throw<InvalidDataException>().WithMessage("*cover.png*has no frame number*");
    }

    [Fact]
    public void An_unreadable_image_fails_the_read_with_its_name()
    {
        Image("00001.png", 1);
        File.WriteAllText(temp.File("00002.jpg"), "truncated");
        using var source = new ImageFolderSource(temp.Path);
        var read = () => source.ReadFrames().ToList().ForEach(f => f.Dispose());
        read.Should().Throw<InvalidDataException>().WithMessage("*00002.jpg*");
    }

    [Fact]
    public void Open_picks_the_source_by_what_the_path_is()
    {
        Image("00001.png", 1);
        using (var folder = FrameSources.Open(temp.Path))
            folder.Should().BeOfType<ImageFolderSource>();
        using (var photo = FrameSources.Open(temp.File("00001.png")))
        {
            photo.Should().BeOfType<PhotoSource>();
            var frame = photo.ReadFrames().Single();
            using (frame)
                (frame.Index, frame.FrameNumber, frame.Timestamp).Should().Be((0, 1, (TimeSpan?)null));
        }
        var missing = () => FrameSources.Open(temp.File("nothing.mp4"));
        missing.Should().Throw<FileNotFoundException>().WithMessage("*nothing.mp4*");
    }
}

public sealed class FrameTimesTests
{
    [Fact]
    public void Gaps_within_ten_percent_of_the_nominal_interval_are_a_constant_rate()
    {
        var times = new FrameTimes(25);   // nominal 40 ms; 43 ms is 7.5 % off
        foreach (double ms in new[] { 0, 40, 83, 120 })
            times.Add(TimeSpan.FromMilliseconds(ms));
        times.VariableFrameRate.Should().BeFalse();
        times.MinInterval.Should().Be(TimeSpan.FromMilliseconds(37));
        times.MaxInterval.Should().Be(TimeSpan.FromMilliseconds(43));
    }

    [Fact]
    public void A_gap_further_off_marks_a_variable_rate()
    {
        var times = new FrameTimes(30);   // nominal 33.3 ms; a 50 ms gap is 50 % off
        foreach (double ms in new[] { 0, 33.3, 83.3, 116.6 })
            times.Add(TimeSpan.FromMilliseconds(ms));
        times.VariableFrameRate.Should().BeTrue();
        times.First.Should().Be(TimeSpan.Zero);
        times.Last.Should().Be(TimeSpan.FromMilliseconds(116.6));
    }
}
