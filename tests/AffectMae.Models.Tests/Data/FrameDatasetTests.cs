using AffectMae.Models.Data;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Data;

public sealed class FrameDatasetTests : IDisposable
{
    private readonly TestImages images = new();

    public void Dispose() => images.Dispose();

    [Fact]
    public void Frames_labelled_minus_one_are_skipped_and_counted()
    {
        var paths = Enumerable.Range(0, 5).Select(i => images.Gradient($"{i:00000}.png", variant: i)).ToArray();

        var dataset = new LabelledFrameDataset(paths, [3, -1, 0, -1, 7], ImageTransform.Eval(8));

        dataset.Count.Should().Be(3);
        dataset.SkippedCount.Should().Be(2);
        dataset.Paths.Should().Equal(paths[0], paths[2], paths[4]);
        dataset.Labels.Should().Equal(3L, 0L, 7L);
    }

    [Fact]
    public void A_staged_labelled_batch_holds_normalised_images_and_int64_classes_in_the_requested_order()
    {
        var paths = Enumerable.Range(0, 3).Select(i => images.Gradient($"{i}.png", variant: i)).ToArray();
        var transform = ImageTransform.Eval(8);
        var dataset = new LabelledFrameDataset(paths, [5, 1, 2], transform);

        using var batch = dataset.ToBatch(dataset.Stage([2, 0], new Random(0), CancellationToken.None), CPU);

        batch.Images.shape.Should().Equal(2, 3, 8, 8);
        batch.Images.dtype.Should().Be(ScalarType.Float32);
        batch.Labels!.dtype.Should().Be(ScalarType.Int64);
        batch.Labels.data<long>().ToArray().Should().Equal(2L, 5L);
        batch.Indices.Should().Equal(2, 0);
        batch.Images[0].data<float>().ToArray().Should().Equal(transform.Load(paths[2], new Random(0)));
    }

    [Fact]
    public void A_label_outside_the_classes_is_rejected_with_the_frame_named()
    {
        var act = () => new LabelledFrameDataset(["a.jpg", "b.jpg"], [0, 8], ImageTransform.Eval(8));

        act.Should().Throw<ArgumentException>().WithMessage("*b.jpg*label 8*");
    }

    [Fact]
    public void Paths_and_labels_of_different_lengths_are_rejected()
    {
        var act = () => new LabelledFrameDataset(["a.jpg", "b.jpg"], [0], ImageTransform.Eval(8));

        act.Should().Throw<ArgumentException>().WithMessage("*2 paths but 1 labels*");
    }

    [Fact]
    public void An_image_folder_lists_its_jpeg_and_png_files_in_subfolders_sorted_by_path()
    {
        string b = images.Gradient("cropped_aligned/video2/00000.png");
        string a1 = images.Write("cropped_aligned/video1/00001.jpg", 4, 4, (_, _) => SkiaSharp.SKColors.Gray, SkiaSharp.SKEncodedImageFormat.Jpeg);
        string a0 = images.Gradient("cropped_aligned/video1/00000.png");
        File.WriteAllText(Path.Combine(images.Folder, "cropped_aligned", "notes.txt"), "not an image");

        var dataset = ImageListDataset.FromFolder(images.Folder, ImageTransform.MaePretraining(8));

        dataset.Paths.Should().Equal(a0, a1, b);
        using var batch = dataset.ToBatch(dataset.Stage([0, 1, 2], new Random(1), CancellationToken.None), CPU);
        batch.Images.shape.Should().Equal(3, 3, 8, 8);
        batch.Labels.Should().BeNull();
    }
}
