using AffectMae.Core.Data;

namespace AffectMae.Core.Tests.Data;

public sealed class FrameFolderTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("affectmae-frames-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private void Touch(params string[] names)
    {
        foreach (string name in names) File.WriteAllBytes(Path.Combine(folder, name), []);
    }

    [Fact]
    public void Frames_sort_by_the_number_in_their_name_and_missing_numbers_are_gaps()
    {
        Touch("10.jpg", "2.png", "frame_0003.JPEG", "00007.jpg", "notes.txt", "1.webp");

        var frames = FrameFolder.Scan(folder);

        frames.Frames.Select(f => f.Number).Should().Equal(1, 2, 3, 7, 10);
        frames.Frames.Select(f => Path.GetFileName(f.Path)).Should().Equal("1.webp", "2.png", "frame_0003.JPEG", "00007.jpg", "10.jpg");
        frames.Gaps.Should().Equal(4, 5, 6, 8, 9);
        (frames.FirstNumber, frames.LastNumber).Should().Be((1, 10));
    }

    [Fact]
    public void Two_images_of_one_frame_are_refused_naming_both_files()
    {
        Touch("00003.jpg", "00003.png", "00004.jpg");

        var scan = () => FrameFolder.Scan(folder);

        scan.Should().Throw<InvalidDataException>().WithMessage("*two images for frame 3: '00003.jpg' and '00003.png'; keep one.");
    }

    [Theory]
    [InlineData("cover.jpg", "'*cover.jpg' has no frame number in its name*")]
    [InlineData(null, "*holds no image*")]
    public void A_folder_that_cannot_be_numbered_is_refused_naming_the_file(string? name, string expected)
    {
        if (name is not null) Touch(name);

        var scan = () => FrameFolder.Scan(folder);

        scan.Should().Throw<InvalidDataException>().WithMessage(expected);
    }

    [Fact]
    public void Numbers_too_far_apart_are_refused_before_any_row_is_made()
    {
        Touch("1.jpg", "99999999.jpg");   // 10⁸ frames apart: no real video, and 10⁸ rows

        var scan = () => FrameFolder.Scan(folder);

        scan.Should().Throw<InvalidDataException>().WithMessage("*from 1 to 99999999: more than 10,000,000 frames apart*");
    }
}
