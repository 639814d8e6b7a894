from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class VerifyUploadForm(forms.Form):
    """A PDF to compare with the issued file. It is hashed and discarded, never stored."""

    file = forms.FileField(
        label=_("待核验的 PDF 文件"),
        help_text=_("选择您收到的公文 PDF 文件；系统只计算其 SHA-256 指纹进行比对，不保存文件。"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件超过 20 MB，不是本系统签发的公文。"))
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("这不是 PDF 文件，请上传收到的公文 PDF。"))
        return upload
