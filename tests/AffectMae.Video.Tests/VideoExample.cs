using AffectMae.Video;
using AffectMae.Video.Decoding;

public static class VideoExample
{
    public static async Task PrintFacesAsync(string path, CancellationToken cancellationToken = default)
    {
        var pipeline = new FaceCropPipeline(new FacePipelineOptions());   // Haar cascade, one subject, 112² crops
        using var source = FrameSources.Open(path);                       // a video, a folder of 00001.jpg…, or a photo
        await foreach (var row in pipeline.RunAsync(source, cancellationToken))
            using (row)
                Console.WriteLine($"{row.FrameNumber} {row.Timestamp} {(row.FaceFound ? row.Box.ToString() : "no face")}");
        Console.WriteLine(string.Join("\n", source.Summary!.Notes));      // header count vs decoded, variable rate, rotation
    }
}
