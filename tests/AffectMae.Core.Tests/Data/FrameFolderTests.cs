using AffectMae.Core.Data;

namespace AffectMae.Core.Tests.Data;

// FrameFolder reads names only, so the "images" here are empty files.
public sealed class FrameFolderTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("affectmae-frames-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private void Files(params string[] names)
    {
        foreach (string name in names) File.WriteAllBytes(Path.Combine(folder, name), []);
    }

    [Fact]
    public void Frames_sort_by_the_number_in_their_names_not_by_the_names()
    {
        Files("1.jpg", "10.jpg", "2.jpg");   // ordinal name order would be 1, 10, 2

        var frames = FrameFolder.Scan(folder);

        frames.Frames.Select(f => f.Number).Should().Equal(1, 2, 10);
        frames.Frames.Select(f => Path.GetFileName(f.Path)).Should().Equal("1.jpg", "2.jpg", "10.jpg");
        frames.Gaps.Should().Equal(3, 4, 5, 6, 7, 8, 9);
        (frames.FirstNumber, frames.LastNumber).Should().Be((1, 10));
    }

    [Fact]
    public void A_frame_keeps_the_number_of_its_name_whatever_the_padding_prefix_or_extension()
    {
        Files("frame_0003.jpg", "00004.PNG", "5.jpeg", "take2_00006.bmp", "notes.txt", "thumbs.db");

        var frames = FrameFolder.Scan(folder);

        frames.Frames.Select(f => f.Number).Should().Equal(3, 4, 5, 6);   // take2_00006: the last run of digits
        frames.Gaps.Should().BeEmpty();
        frames.FirstNumber.Should().Be(3, "numbering starts where the names start, not at 1");
    }

    [Fact]
    public void Two_images_with_one_number_are_refused_naming_both()
    {
        Files("00002.jpg", "00003.jpg", "00003.png");

        var scan = () => FrameFolder.Scan(folder);

        scan.Should().Throw<InvalidDataException>().WithMessage($"Frame folder '{folder}' has two images for frame 3: '00003.jpg' and '00003.png'; keep one.");
    }

    [Fact]
    public void Padding_does_not_make_two_names_different_frames()
    {
        Files("3.jpg", "003.jpg");

        var scan = () => FrameFolder.Scan(folder);

        scan.Should().Throw<InvalidDataException>().WithMessage("*two images for frame 3: '003.jpg' and '3.jpg'*");
    }

    [Fact]
    public void An_image_without_a_number_in_its_name_is_refused_naming_it()
    {
        Files("00001.jpg", "face.jpg");

        var scan = () => FrameFolder.Scan(folder);

        scan.Should().Throw<InvalidDataException>().WithMessage($"'{Path.Combine(folder, "face.jpg")}' has no frame number in its name*");
    }

    [Fact]
    public void A_folder_without_images_and_a_missing_folder_are_refused()
    {
        Files("readme.txt");

        FluentActions.Invoking(() => FrameFolder.Scan(folder)).Should().Throw<InvalidDataException>().WithMessage("*holds no image*");
        FluentActions.Invoking(() => FrameFolder.Scan(Path.Combine(folder, "nothing"))).Should().Throw<DirectoryNotFoundException>();
    }

    [Fact]
    public void Numbers_further_apart_than_the_span_cap_are_refused_naming_the_last_file()
    {
        Files("1.jpg", $"{FrameFolder.MaxSpan + 1}.jpg");   // 10,000,001 − 1 = MaxSpan frames apart

        var scan = () => FrameFolder.Scan(folder);

        scan.Should().Throw<InvalidDataException>().WithMessage($"*from 1 to {FrameFolder.MaxSpan + 1}*'{FrameFolder.MaxSpan + 1}.jpg'*");
    }

    [Fact]
    public void Control_characters_in_a_file_name_are_escaped_in_the_message()
    {
        if (OperatingSystem.IsWindows()) return;   // Windows file names cannot hold them
        Files("face\u001b]x\u0007.jpg");   // no digit in it, so it is refused, quoting the name

        var scan = () => FrameFolder.Scan(folder);

        scan.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(@"face\u001B]x\u0007.jpg").And.NotContain("\u001b").And.NotContain("\u0007");
    }
}
