-- QQ and WeChat layouts: the account and chat a place belongs to, and what a WeChat .dat holds.

ALTER TABLE locations ADD COLUMN account TEXT;   -- QQ number, wxid, Android account folder
ALTER TABLE locations ADD COLUMN chat TEXT;      -- the chat folder (md5) where the layout has one
ALTER TABLE images ADD COLUMN decoded_ext TEXT;  -- for .dat: the image type inside (NULL: not decoded)
