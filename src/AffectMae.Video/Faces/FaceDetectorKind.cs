using System.Text.Json.Serialization;

namespace AffectMae.Video.Faces;

/// <summary>Which OpenCV face detector to use.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaceDetectorKind>))]
public enum FaceDetectorKind
{
    /// <summary>A Viola–Jones cascade (Haar or LBP XML file, e.g. Debian's <c>opencv-data</c>): fast, frontal faces, no landmarks.</summary>
    Cascade,

    /// <summary>YuNet through OpenCV's <c>FaceDetectorYN</c> (an ONNX file the user supplies): boxes, scores and five landmarks.</summary>
    YuNet,
}
